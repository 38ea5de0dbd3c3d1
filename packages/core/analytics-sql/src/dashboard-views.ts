import { ALL } from '@streampulse/schema';
import { sqlString } from '@streampulse/contract-sql';

/**
 * One dashboard view: a name and the SELECT both Athena (Trino) and DuckDB run as written.
 *
 * @example
 * const view: DashboardView = { name: 'daily_unique_viewers', description: '...', sql: 'SELECT ...' };
 */
export interface DashboardView {
  readonly name: string;
  /** What the view answers, for people choosing one in a BI tool. */
  readonly description: string;
  /** The view's SELECT over `daily_engagement` / `daily_active_users`, without a trailing `;`. */
  readonly sql: string;
}

// Written in the subset Trino and DuckDB share: no engine-specific functions, no quoted
// identifiers, ROUND(double, 2), ROW_NUMBER() OVER, CASE. Every view keeps event_date and the
// partition columns, so a filter on year/month/day prunes partitions in Athena.
// Unique counts always come from daily_active_users: a user active in two regions would be
// counted twice by summing daily_engagement.unique_viewers.
// A sum of doubles depends on the order the engine adds them in, and Trino and DuckDB add in
// different orders: the minutes are rounded back to cents (every input has at most two decimals)
// before they are divided or ranked, so 1222.5 / 60 = 20.375 rounds the same way on both.
const all = sqlString(ALL);

/**
 * The dashboard views, in the order they are created. Every one but `top_titles` is per day
 * and keeps the partition columns; `top_titles` sums over every day the table holds (filter
 * `daily_engagement` first, or query `top_titles_by_watch_hours`, for a shorter period).
 *
 * @example
 * for (const view of DASHBOARD_VIEWS) await run(`CREATE OR REPLACE VIEW ${view.name} AS\n${view.sql}`);
 */
export const DASHBOARD_VIEWS: readonly DashboardView[] = [
  {
    name: 'top_titles_by_watch_hours',
    description: 'The 10 titles with the most watch hours on each day (title_rank 1 = most watched).',
    sql: `SELECT event_date, year, month, day, title_rank, content_id, title, genre, sessions,
       total_watch_minutes, total_watch_hours
FROM (
  SELECT event_date, year, month, day, content_id, title, genre,
         SUM(sessions) AS sessions,
         ROUND(SUM(total_watch_minutes), 2) AS total_watch_minutes,
         ROUND(ROUND(SUM(total_watch_minutes), 2) / 60, 2) AS total_watch_hours,
         ROW_NUMBER() OVER (
           PARTITION BY event_date
           ORDER BY ROUND(SUM(total_watch_minutes), 2) DESC, title, content_id
         ) AS title_rank
  FROM daily_engagement
  GROUP BY event_date, year, month, day, content_id, title, genre
) ranked
WHERE title_rank <= 10`,
  },
  {
    name: 'top_titles',
    description:
      'Titles ranked by watch hours summed over every day held, all regions and devices (title_rank 1 = most watched).',
    sql: `SELECT title_rank, content_id, title, genre, sessions, total_watch_hours, first_day, last_day
FROM (
  SELECT content_id,
         max_by(title, event_date) AS title,
         max_by(genre, event_date) AS genre,
         SUM(sessions) AS sessions,
         ROUND(ROUND(SUM(total_watch_minutes), 2) / 60, 2) AS total_watch_hours,
         MIN(event_date) AS first_day,
         MAX(event_date) AS last_day,
         ROW_NUMBER() OVER (ORDER BY ROUND(SUM(total_watch_minutes), 2) DESC, content_id) AS title_rank
  FROM daily_engagement
  GROUP BY content_id
) ranked`,
  },
  {
    name: 'daily_unique_viewers',
    description: 'Distinct viewers, sessions and watch time of each whole day.',
    sql: `SELECT event_date, year, month, day,
       active_users AS unique_viewers, sessions, total_watch_minutes, total_watch_hours,
       ROUND(total_watch_minutes / sessions, 2) AS avg_session_duration_min
FROM daily_active_users
WHERE region = ${all} AND device_type = ${all} AND genre = ${all}`,
  },
  {
    name: 'watch_hours_by_device',
    description: 'Watch hours, sessions and distinct viewers per device type and day.',
    sql: `SELECT event_date, year, month, day, device_type,
       total_watch_hours, total_watch_minutes, sessions, active_users AS unique_viewers
FROM daily_active_users
WHERE region = ${all} AND genre = ${all} AND device_type <> ${all}`,
  },
  {
    name: 'regional_engagement',
    description: 'Distinct viewers, sessions, watch hours and average session length per region and day.',
    sql: `SELECT event_date, year, month, day, region,
       active_users AS unique_viewers, sessions, total_watch_minutes, total_watch_hours,
       ROUND(total_watch_minutes / sessions, 2) AS avg_session_duration_min
FROM daily_active_users
WHERE device_type = ${all} AND genre = ${all} AND region <> ${all}`,
  },
  {
    name: 'genre_performance',
    description: 'Distinct viewers, sessions, watch hours and average session length per genre and day.',
    sql: `SELECT event_date, year, month, day, genre,
       active_users AS unique_viewers, sessions, total_watch_minutes, total_watch_hours,
       ROUND(total_watch_minutes / sessions, 2) AS avg_session_duration_min
FROM daily_active_users
WHERE region = ${all} AND device_type = ${all} AND genre <> ${all}`,
  },
  {
    name: 'daily_active_users_by_segment',
    description:
      'Daily active users of the whole day and of each region, device type and genre, one row per segment.',
    sql: `SELECT event_date, year, month, day,
       CASE
         WHEN region <> ${all} THEN 'region'
         WHEN device_type <> ${all} THEN 'device_type'
         WHEN genre <> ${all} THEN 'genre'
         ELSE 'all'
       END AS dimension,
       CASE
         WHEN region <> ${all} THEN region
         WHEN device_type <> ${all} THEN device_type
         WHEN genre <> ${all} THEN genre
         ELSE ${all}
       END AS segment,
       active_users, sessions, total_watch_minutes, total_watch_hours
FROM daily_active_users`,
  },
];

/**
 * The statement that (re)creates a dashboard view, in SQL both Athena and DuckDB accept;
 * `database` qualifies the view's name (Athena), the SELECT inside stays as written.
 *
 * @example
 * createViewSql(DASHBOARD_VIEWS[0], 'streampulse');
 * // 'CREATE OR REPLACE VIEW streampulse.top_titles_by_watch_hours AS\nSELECT ...'
 */
export function createViewSql(view: DashboardView, database?: string): string {
  const name = database ? `${database}.${view.name}` : view.name;
  return `CREATE OR REPLACE VIEW ${name} AS\n${view.sql}`;
}
