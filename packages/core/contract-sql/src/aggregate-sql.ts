import { AGGREGATE_GROUP_COLUMNS, ALL, DAILY_ACTIVE_USERS_COLUMNS } from '@streampulse/schema';
import type { Dialect } from './dialect.js';
import { SqlPlanError } from './errors.js';

// Section 9 as SQL. Amounts are summed as whole hundredths (exact integers in every engine) and
// divided with integer half-up rounding, floor((2n + d) / 2d), so no engine's decimal or double
// rounding rule matters. Measures leave as exact decimal text.

/**
 * Where a day's processed rows are and which day to aggregate.
 *
 * @example
 * const options: AggregateSqlOptions = { source: 'processed.processed_data', day: { parameter: '$1::date' } };
 */
export interface AggregateSqlOptions {
  /** A relation with the processed columns (duration_min two-decimal, event_date a DATE). */
  readonly source: string;
  /** The day: a `YYYY-MM-DD` literal, or a parameter placeholder as the driver spells it. */
  readonly day: string | { readonly parameter: string };
}

/**
 * The two tables' SQL for one day, each ordered by its group columns in code-point order.
 *
 * @example
 * const { engagement, activeUsers } = compileAggregateSql(DUCKDB, { source: 'processed', day: '2025-03-14' });
 */
export interface AggregateSql {
  readonly engagement: string;
  readonly activeUsers: string;
}

function dayExpression(d: Dialect, day: AggregateSqlOptions['day']): string {
  if (typeof day !== 'string') return day.parameter;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    throw new SqlPlanError('invalid_day', `day ${JSON.stringify(day)} is not a date as YYYY-MM-DD`);
  }
  return d.dateLiteral(day);
}

/** Exact decimal text of a non-negative count of hundredths. */
function hundredthsText(d: Dialect, hundredths: string): string {
  return `${d.integerText(d.div(hundredths, '100'))} || '.' || ${d.pad2(d.integerText(d.mod(hundredths, '100')))}`;
}

/** `numerator / denominator` rounded half-up, for non-negative integers. */
function divideHalfUp(d: Dialect, numerator: string, denominator: string): string {
  return d.div(`2 * (${numerator}) + (${denominator})`, `2 * (${denominator})`);
}

const HUNDREDTHS = 'CAST(round(duration_min * 100) AS BIGINT)';

function measures(d: Dialect, withAverage: boolean): string[] {
  const total = `sum(${HUNDREDTHS})`;
  const items = [
    `${hundredthsText(d, total)} AS total_watch_minutes`,
    // minutes / 60 to hundredths of an hour: hundredths of a minute / 60, rounded half-up.
    `${hundredthsText(d, divideHalfUp(d, total, '60'))} AS total_watch_hours`,
  ];
  if (withAverage)
    items.push(`${hundredthsText(d, divideHalfUp(d, total, 'count(*)'))} AS avg_session_duration_min`);
  return items;
}

function names(columns: readonly { name: string }[]): string {
  return columns.map((c) => c.name).join(', ');
}

/**
 * Compiles `daily_engagement` (GROUP BY) and `daily_active_users` (GROUPING SETS with `ALL`)
 * for one day. Columns come out in the tables' order; dates as `YYYY-MM-DD` text, counts as
 * integers, measures as exact decimal text.
 *
 * @example
 * const sql = compileAggregateSql(POSTGRES, { source: 'processed.processed_data', day: { parameter: '$1::date' } });
 * await client.query(sql.engagement, ['2025-03-14']);
 */
export function compileAggregateSql(d: Dialect, options: AggregateSqlOptions): AggregateSql {
  const day = dayExpression(d, options.day);
  const groups = AGGREGATE_GROUP_COLUMNS.daily_engagement;
  // Columns in DAILY_ENGAGEMENT_COLUMNS order.
  const engagement =
    `SELECT ${d.dateText(day)} AS event_date, ${groups.join(', ')}, count(DISTINCT user_id) AS unique_viewers, ` +
    `count(*) AS sessions, ${measures(d, true).join(', ')} ` +
    `FROM ${options.source} WHERE event_date = ${day} GROUP BY ${groups.join(', ')} ` +
    `ORDER BY ${groups.map((g) => d.binaryOrder(g)).join(', ')}`;
  const rollup = AGGREGATE_GROUP_COLUMNS.daily_active_users;
  const allIfNotGrouped = (column: string): string =>
    `CASE WHEN grouping(${column}) = 1 THEN ${d.text(ALL)} ELSE ${column} END AS ${column}`;
  // The ORDER BY sits outside: inside, a name in it could mean the input column, which is NULL
  // in the rows of the grouping sets that leave it out.
  const activeUsers =
    `SELECT ${names(DAILY_ACTIVE_USERS_COLUMNS)} FROM (SELECT ${d.dateText(day)} AS event_date, ` +
    `${rollup.map(allIfNotGrouped).join(', ')}, count(DISTINCT user_id) AS active_users, count(*) AS sessions, ` +
    `${measures(d, false).join(', ')} FROM ${options.source} WHERE event_date = ${day} ` +
    `GROUP BY GROUPING SETS ((), (region), (device_type), (genre))) AS grouped ` +
    `ORDER BY ${rollup.map((g) => d.binaryOrder(g)).join(', ')}`;
  return { engagement, activeUsers };
}
