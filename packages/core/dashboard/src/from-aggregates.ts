import { ALL, type DailyActiveUsersRow, type DailyEngagementRow } from '@streampulse/schema';
import { divideHalfUp, hundredthsToMinutes, minutesToHundredths } from '@streampulse/transform';
import type { DashboardData } from './data.js';

/**
 * Rows of the two aggregate tables, any number of days.
 *
 * @example
 * const rows: AggregateRows = { engagement: day.engagement, activeUsers: day.activeUsers };
 */
export interface AggregateRows {
  readonly engagement: readonly DailyEngagementRow[];
  readonly activeUsers: readonly DailyActiveUsersRow[];
}

interface Sum {
  hundredths: number;
  sessions: number;
  users: number;
  latestDate: string;
  title: string;
  genre: string;
}

/** Watch hours from a sum of watch minutes, rounded half-up to hundredths like the aggregates. */
const hoursOf = (hundredths: number): number => hundredthsToMinutes(divideHalfUp(hundredths, 60));
const byWatchThenName = <T extends { name: string; sum: Sum }>(a: T, b: T): number =>
  b.sum.hundredths - a.sum.hundredths || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function sums<T>(rows: readonly T[], keep: (row: T) => string | undefined, add: (sum: Sum, row: T) => void) {
  const groups = new Map<string, Sum>();
  for (const row of rows) {
    const name = keep(row);
    if (name === undefined) continue;
    let sum = groups.get(name);
    if (!sum) {
      sum = { hundredths: 0, sessions: 0, users: 0, latestDate: '', title: '', genre: '' };
      groups.set(name, sum);
    }
    add(sum, row);
  }
  return [...groups.entries()].map(([name, sum]) => ({ name, sum })).sort(byWatchThenName);
}

function addActive(sum: Sum, row: DailyActiveUsersRow): void {
  sum.hundredths += minutesToHundredths(row.total_watch_minutes);
  sum.sessions += row.sessions;
  sum.users += row.active_users;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The dashboard's data from aggregate rows already in memory (e.g. `aggregateByDay` over a
 * test lake): the same numbers {@link DASHBOARD_QUERIES} give over the same rows, with sums
 * kept in exact hundredths of a minute.
 *
 * @example
 * const days = aggregateByDay(rows);
 * const data = dashboardDataFromAggregates({
 *   engagement: days.flatMap((d) => d.engagement),
 *   activeUsers: days.flatMap((d) => d.activeUsers),
 * });
 */
export function dashboardDataFromAggregates(rows: AggregateRows): DashboardData {
  const wholeDays = rows.activeUsers
    .filter((r) => r.region === ALL && r.device_type === ALL && r.genre === ALL)
    .sort((a, b) => compareText(a.event_date, b.event_date));

  const titles = sums(
    rows.engagement,
    (r) => r.content_id,
    (sum, r) => {
      sum.hundredths += minutesToHundredths(r.total_watch_minutes);
      sum.sessions += r.sessions;
      // A content id has one title a day; across days the newest name wins (renames).
      if (r.event_date > sum.latestDate) {
        sum.title = r.title;
        sum.genre = r.genre;
        sum.latestDate = r.event_date;
      }
    },
  ).slice(0, 10);

  const devices = sums(
    rows.activeUsers,
    (r) => (r.region === ALL && r.genre === ALL && r.device_type !== ALL ? r.device_type : undefined),
    addActive,
  );
  const regions = sums(
    rows.activeUsers,
    (r) => (r.device_type === ALL && r.genre === ALL && r.region !== ALL ? r.region : undefined),
    addActive,
  );
  const genres = sums(
    rows.activeUsers,
    (r) => (r.region === ALL && r.device_type === ALL && r.genre !== ALL ? r.genre : undefined),
    addActive,
  );

  return {
    topTitles: titles.map(({ name, sum }) => ({
      contentId: name,
      title: sum.title,
      genre: sum.genre,
      watchHours: hoursOf(sum.hundredths),
      sessions: sum.sessions,
    })),
    dailyViewers: wholeDays.map((r) => ({
      date: r.event_date,
      uniqueViewers: r.active_users,
      sessions: r.sessions,
      watchHours: r.total_watch_hours,
      avgSessionMinutes: r.sessions > 0 ? Math.round((r.total_watch_minutes / r.sessions) * 100) / 100 : 0,
    })),
    watchHoursByDevice: devices.map(({ name, sum }) => ({
      deviceType: name,
      watchHours: hoursOf(sum.hundredths),
      sessions: sum.sessions,
    })),
    regionalEngagement: regions.map(({ name, sum }) => ({
      region: name,
      avgDailyActiveUsers: wholeDays.length ? Math.round((sum.users * 10) / wholeDays.length) / 10 : 0,
      watchHours: hoursOf(sum.hundredths),
      sessions: sum.sessions,
    })),
    genrePerformance: genres.map(({ name, sum }) => ({
      genre: name,
      watchHours: hoursOf(sum.hundredths),
      sessions: sum.sessions,
    })),
    dailyActiveUsersByDevice: rows.activeUsers
      .filter((r) => r.region === ALL && r.genre === ALL && r.device_type !== ALL)
      .map((r) => ({ date: r.event_date, deviceType: r.device_type, activeUsers: r.active_users }))
      .sort((a, b) => compareText(a.date, b.date) || compareText(a.deviceType, b.deviceType)),
  };
}
