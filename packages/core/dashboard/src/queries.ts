import { DASHBOARD_VIEWS } from '@streampulse/analytics-sql';
import { StreamPulseError } from '@streampulse/errors';
import { ALL, isCalendarDay } from '@streampulse/schema';
import { sqlString } from '@streampulse/contract-sql';
import type { DashboardData } from './data.js';

const all = `'${ALL}'`;

// Plain SQL that DuckDB and Athena (Trino) both run: no engine-specific functions beyond
// max_by, explicit DOUBLE casts where Trino would divide integers, ties broken by name so the
// order is stable. Distinct counts come from daily_active_users only: summing
// daily_engagement.unique_viewers would count a viewer of two titles twice.
const dayRows = `region = ${all} AND device_type = ${all} AND genre = ${all}`;
const hours = 'ROUND(SUM(total_watch_minutes) / 60, 2)';

/**
 * The SQL of each chart, over the tables `daily_engagement` and `daily_active_users`, keyed like
 * {@link DashboardData}. Each query covers every day the tables hold; {@link dashboardQueries}
 * gives the same queries over a chosen period.
 *
 * @example
 * const { columns, rows } = await local.query(DASHBOARD_QUERIES.topTitles);
 * // columns: ['content_id', 'title', 'genre', 'watch_hours', 'sessions']
 */
export const DASHBOARD_QUERIES: Readonly<Record<keyof DashboardData, string>> = {
  // The top_titles view's own text (@streampulse/analytics-sql), so the page and Athena agree.
  topTitles: `SELECT content_id, title, genre, total_watch_hours AS watch_hours, sessions
FROM top_titles
ORDER BY title_rank
LIMIT 10`,
  dailyViewers: `SELECT CAST(event_date AS VARCHAR) AS event_date,
       active_users AS unique_viewers,
       sessions,
       total_watch_hours AS watch_hours,
       CASE WHEN sessions > 0 THEN ROUND(total_watch_minutes / sessions, 2) ELSE 0 END AS avg_session_duration_min
FROM daily_active_users
WHERE ${dayRows}
ORDER BY event_date`,
  watchHoursByDevice: `SELECT device_type,
       ${hours} AS watch_hours,
       SUM(sessions) AS sessions
FROM daily_active_users
WHERE region = ${all} AND genre = ${all} AND device_type <> ${all}
GROUP BY device_type
ORDER BY SUM(total_watch_minutes) DESC, device_type`,
  regionalEngagement: `SELECT region,
       ROUND(CAST(SUM(active_users) AS DOUBLE) / (
         SELECT COUNT(*) FROM daily_active_users WHERE ${dayRows}
       ), 1) AS avg_daily_active_users,
       ${hours} AS watch_hours,
       SUM(sessions) AS sessions
FROM daily_active_users
WHERE device_type = ${all} AND genre = ${all} AND region <> ${all}
GROUP BY region
ORDER BY SUM(total_watch_minutes) DESC, region`,
  genrePerformance: `SELECT genre,
       ${hours} AS watch_hours,
       SUM(sessions) AS sessions
FROM daily_active_users
WHERE region = ${all} AND device_type = ${all} AND genre <> ${all}
GROUP BY genre
ORDER BY SUM(total_watch_minutes) DESC, genre`,
  dailyActiveUsersByDevice: `SELECT CAST(event_date AS VARCHAR) AS event_date,
       device_type,
       active_users
FROM daily_active_users
WHERE region = ${all} AND genre = ${all} AND device_type <> ${all}
ORDER BY event_date, device_type`,
};

/**
 * The days a dashboard covers, both ends included, as `YYYY-MM-DD` reporting-zone days; an end
 * left out is open (from the first day held, to the last).
 *
 * @example
 * const march: DashboardPeriod = { from: '2025-03-01', to: '2025-03-31' };
 */
export interface DashboardPeriod {
  readonly from?: string;
  readonly to?: string;
}

const TABLE_READ = /\bFROM (daily_engagement|daily_active_users)\b/g;

function topTitlesViewSql(): string {
  const view = DASHBOARD_VIEWS.find((candidate) => candidate.name === 'top_titles');
  if (!view) throw new Error('the top_titles view is missing from DASHBOARD_VIEWS');
  return view.sql;
}

/**
 * {@link DASHBOARD_QUERIES} over the days of `period` only: every read of `daily_engagement` and
 * `daily_active_users` (also the one inside the top_titles view, whose text is inlined) becomes a
 * read of that table's rows in the period, so every chart, total and average covers the same
 * days. Without a bound the queries are {@link DASHBOARD_QUERIES} themselves.
 *
 * @throws DashboardQueryError (`bad_period`) when an end is not a calendar day or `from` is after `to`.
 * @example
 * const queries = dashboardQueries({ from: '2025-03-01', to: '2025-03-07' });
 * await local.query(queries.topTitles); // the week's top titles
 */
export function dashboardQueries(
  period: DashboardPeriod = {},
): Readonly<Record<keyof DashboardData, string>> {
  const { from, to } = period;
  for (const [end, day] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (day !== undefined && !isCalendarDay(day)) {
      throw new DashboardQueryError(
        'bad_period',
        `the period's ${end} day ${JSON.stringify(day)} is not a calendar day as YYYY-MM-DD`,
      );
    }
  }
  if (from !== undefined && to !== undefined && from > to) {
    throw new DashboardQueryError('bad_period', `the period starts on ${from}, after its end ${to}`);
  }
  if (from === undefined && to === undefined) return DASHBOARD_QUERIES;
  // DATE literals compare as days in both DuckDB and Trino, whatever the event_date column's type.
  const bounds = [
    ...(from === undefined ? [] : [`event_date >= DATE ${sqlString(from)}`]),
    ...(to === undefined ? [] : [`event_date <= DATE ${sqlString(to)}`]),
  ].join(' AND ');
  const within = (sql: string): string =>
    sql.replace(
      TABLE_READ,
      (_match, table: string) => `FROM (SELECT * FROM ${table} WHERE ${bounds}) ${table}`,
    );
  const queries = Object.fromEntries(
    Object.entries(DASHBOARD_QUERIES).map(([chart, sql]) => [
      chart,
      within(sql.replace(/\bFROM top_titles\b/, `FROM (\n${topTitlesViewSql()}\n) top_titles`)),
    ]),
  );
  return queries as Record<keyof DashboardData, string>;
}

/**
 * Runs one SQL statement and answers with column names and rows (the shape of
 * `@streampulse/local-query`).
 *
 * @example
 * const query: QueryFunction = (sql) => local.query(sql);
 */
export type QueryFunction = (sql: string) => Promise<{ columns: string[]; rows: unknown[][] }>;

/**
 * A query answered without a column a chart needs (the message names the chart and columns), or
 * a period that is not one (the message names the day).
 *
 * @example
 * if (error instanceof DashboardQueryError) console.error(error.message);
 */
export class DashboardQueryError extends StreamPulseError<DashboardQueryErrorCode> {
  override readonly name = 'DashboardQueryError';
}

/**
 * Why dashboard data could not be queried: an answer lacked a column, or the period was not one.
 *
 * @example
 * const code: DashboardQueryErrorCode = 'bad_period';
 */
export type DashboardQueryErrorCode = 'missing_column' | 'bad_period';

type Row = (column: string) => unknown;

async function rowsOf(
  query: QueryFunction,
  queries: Readonly<Record<keyof DashboardData, string>>,
  chart: keyof DashboardData,
  needed: readonly string[],
): Promise<Row[]> {
  const { columns, rows } = await query(queries[chart]);
  const index = new Map(columns.map((name, i) => [name.toLowerCase(), i]));
  const missing = needed.filter((name) => !index.has(name));
  if (missing.length > 0) {
    throw new DashboardQueryError(
      'missing_column',
      `the ${chart} query answered without column(s) ${missing.join(', ')} (got ${columns.join(', ')})`,
    );
  }
  return rows.map((row) => (column: string) => row[index.get(column) as number]);
}

/** Engines hand back counts as numbers, bigints or decimal text; a missing value is 0. */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return 0;
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/** A date as `YYYY-MM-DD`, whether the engine answered text, a timestamp text or a Date. */
function dateOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return textOf(value).slice(0, 10);
}

/**
 * Runs {@link DASHBOARD_QUERIES} through an injected query function (DuckDB over a local lake,
 * Athena, a test double) and shapes the answers as {@link DashboardData}. Queries run one after
 * another, since a single engine connection is not assumed to take concurrent statements.
 * Columns are found by name, so their order does not matter. With a `period` every chart covers
 * only its days ({@link dashboardQueries}).
 *
 * @example
 * const local = await openLocalQuery({ lake, scratchDir });
 * const data = await dashboardDataFromQuery((sql) => local.query(sql));
 * const html = renderDashboard(data, { title: 'StreamPulse', generatedAt: new Date().toISOString() });
 */
export async function dashboardDataFromQuery(
  query: QueryFunction,
  period: DashboardPeriod = {},
): Promise<DashboardData> {
  const queries = dashboardQueries(period);
  const topTitles = (
    await rowsOf(query, queries, 'topTitles', ['content_id', 'title', 'genre', 'watch_hours', 'sessions'])
  ).map((r) => ({
    contentId: textOf(r('content_id')),
    title: textOf(r('title')),
    genre: textOf(r('genre')),
    watchHours: numberOf(r('watch_hours')),
    sessions: numberOf(r('sessions')),
  }));
  const dailyViewers = (
    await rowsOf(query, queries, 'dailyViewers', [
      'event_date',
      'unique_viewers',
      'sessions',
      'watch_hours',
      'avg_session_duration_min',
    ])
  ).map((r) => ({
    date: dateOf(r('event_date')),
    uniqueViewers: numberOf(r('unique_viewers')),
    sessions: numberOf(r('sessions')),
    watchHours: numberOf(r('watch_hours')),
    avgSessionMinutes: numberOf(r('avg_session_duration_min')),
  }));
  const watchHoursByDevice = (
    await rowsOf(query, queries, 'watchHoursByDevice', ['device_type', 'watch_hours', 'sessions'])
  ).map((r) => ({
    deviceType: textOf(r('device_type')),
    watchHours: numberOf(r('watch_hours')),
    sessions: numberOf(r('sessions')),
  }));
  const regionalEngagement = (
    await rowsOf(query, queries, 'regionalEngagement', [
      'region',
      'avg_daily_active_users',
      'watch_hours',
      'sessions',
    ])
  ).map((r) => ({
    region: textOf(r('region')),
    avgDailyActiveUsers: numberOf(r('avg_daily_active_users')),
    watchHours: numberOf(r('watch_hours')),
    sessions: numberOf(r('sessions')),
  }));
  const genrePerformance = (
    await rowsOf(query, queries, 'genrePerformance', ['genre', 'watch_hours', 'sessions'])
  ).map((r) => ({
    genre: textOf(r('genre')),
    watchHours: numberOf(r('watch_hours')),
    sessions: numberOf(r('sessions')),
  }));
  const dailyActiveUsersByDevice = (
    await rowsOf(query, queries, 'dailyActiveUsersByDevice', ['event_date', 'device_type', 'active_users'])
  ).map((r) => ({
    date: dateOf(r('event_date')),
    deviceType: textOf(r('device_type')),
    activeUsers: numberOf(r('active_users')),
  }));
  return {
    topTitles,
    dailyViewers,
    watchHoursByDevice,
    regionalEngagement,
    genrePerformance,
    dailyActiveUsersByDevice,
  };
}
