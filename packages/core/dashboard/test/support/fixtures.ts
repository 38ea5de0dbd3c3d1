import type { DashboardData } from '../../src/index.js';

/** A small hand-written dataset with text that needs escaping. */
export const SMALL_DATA: DashboardData = {
  topTitles: [
    {
      contentId: 'C1',
      title: 'Tom & "Jerry" <b>Live</b>',
      genre: 'Comedy',
      watchHours: 120.5,
      sessions: 300,
    },
    { contentId: 'C2', title: "Rock 'n' Roll", genre: 'Drama', watchHours: 80.25, sessions: 150 },
  ],
  dailyViewers: [
    { date: '2025-03-01', uniqueViewers: 812, sessions: 2000, watchHours: 900.5, avgSessionMinutes: 27.02 },
    { date: '2025-03-02', uniqueViewers: 790, sessions: 1900, watchHours: 850, avgSessionMinutes: 26.84 },
  ],
  watchHoursByDevice: [
    { deviceType: 'tv', watchHours: 1000, sessions: 1500 },
    { deviceType: 'mobile', watchHours: 700.5, sessions: 2400 },
  ],
  regionalEngagement: [
    { region: 'South', avgDailyActiveUsers: 300.5, watchHours: 600, sessions: 1400 },
    { region: 'North <East>', avgDailyActiveUsers: 120, watchHours: 250.5, sessions: 500 },
  ],
  genrePerformance: [
    { genre: 'Drama', watchHours: 900, sessions: 2100 },
    { genre: 'Sci-Fi & Fantasy', watchHours: 300, sessions: 700 },
  ],
  dailyActiveUsersByDevice: [
    { date: '2025-03-01', deviceType: 'mobile', activeUsers: 400 },
    { date: '2025-03-01', deviceType: 'tv', activeUsers: 350 },
    { date: '2025-03-02', deviceType: 'mobile', activeUsers: 390 },
    { date: '2025-03-02', deviceType: 'tv', activeUsers: 360 },
  ],
};

/** No rows at all: a lake before its first aggregation. */
export const EMPTY_DATA: DashboardData = {
  topTitles: [],
  dailyViewers: [],
  watchHoursByDevice: [],
  regionalEngagement: [],
  genrePerformance: [],
  dailyActiveUsersByDevice: [],
};
