/** One of the ten most watched titles over the period. */
export interface TopTitle {
  readonly contentId: string;
  /** The title as of the latest day it was watched (renames show their newest name). */
  readonly title: string;
  readonly genre: string;
  readonly watchHours: number;
  readonly sessions: number;
}

/** One whole day: distinct viewers, from `daily_active_users` (never summed from engagement rows). */
export interface DailyViewers {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly uniqueViewers: number;
  readonly sessions: number;
  readonly watchHours: number;
  /** Average session length that day, in minutes (watch minutes over sessions). */
  readonly avgSessionMinutes: number;
}

/** Watch time per device type over the period. */
export interface DeviceWatch {
  readonly deviceType: string;
  readonly watchHours: number;
  readonly sessions: number;
}

/** One region over the period. */
export interface RegionEngagement {
  readonly region: string;
  /** Daily active users averaged over the days of the period (distinct users do not add up across days). */
  readonly avgDailyActiveUsers: number;
  readonly watchHours: number;
  readonly sessions: number;
}

/** One genre over the period. */
export interface GenrePerformance {
  readonly genre: string;
  readonly watchHours: number;
  readonly sessions: number;
}

/** Active users of one device type on one day. */
export interface DeviceDailyActiveUsers {
  readonly date: string;
  readonly deviceType: string;
  readonly activeUsers: number;
}

/**
 * Everything the dashboard shows, one list per chart. Lists are in display order; empty lists
 * render a "no data" state.
 *
 * @example
 * const data: DashboardData = { topTitles: [], dailyViewers: [], watchHoursByDevice: [],
 *   regionalEngagement: [], genrePerformance: [], dailyActiveUsersByDevice: [] };
 */
export interface DashboardData {
  /** Most watched first, at most 10. */
  readonly topTitles: readonly TopTitle[];
  /** Ascending by date. */
  readonly dailyViewers: readonly DailyViewers[];
  readonly watchHoursByDevice: readonly DeviceWatch[];
  readonly regionalEngagement: readonly RegionEngagement[];
  readonly genrePerformance: readonly GenrePerformance[];
  /** Ascending by date, then device type. */
  readonly dailyActiveUsersByDevice: readonly DeviceDailyActiveUsers[];
}

/**
 * The nine charts, in page order: the `data-chart` id of each, its heading, and the
 * {@link DashboardData} list it draws.
 *
 * @example
 * DASHBOARD_CHARTS.map((c) => c.id); // ['top-titles', 'daily-unique-viewers', ...]
 */
export const DASHBOARD_CHARTS = [
  { id: 'top-titles', title: 'Top 10 most watched titles', key: 'topTitles' },
  { id: 'daily-unique-viewers', title: 'Daily unique viewers', key: 'dailyViewers' },
  { id: 'daily-watch-hours', title: 'Watch hours per day', key: 'dailyViewers' },
  { id: 'daily-sessions', title: 'Sessions per day', key: 'dailyViewers' },
  { id: 'avg-session-duration', title: 'Average session duration per day', key: 'dailyViewers' },
  { id: 'watch-hours-by-device', title: 'Watch hours by device type', key: 'watchHoursByDevice' },
  { id: 'regional-engagement', title: 'Regional engagement', key: 'regionalEngagement' },
  { id: 'genre-performance', title: 'Genre performance', key: 'genrePerformance' },
  { id: 'daily-active-users', title: 'Daily active users by device type', key: 'dailyActiveUsersByDevice' },
] as const satisfies readonly { id: string; title: string; key: keyof DashboardData }[];

/**
 * A chart id of {@link DASHBOARD_CHARTS}.
 *
 * @example
 * const chart: ChartId = 'genre-performance'; // page.locator(`[data-chart="${chart}"]`)
 */
export type ChartId = (typeof DASHBOARD_CHARTS)[number]['id'];
