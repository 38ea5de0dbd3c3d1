/**
 * Where things live in a lake, relative to its root. Keys always use `/`.
 */
export const LAKE_LAYOUT = {
  playback: 'raw/playback/',
  contentMetadata: 'raw/content_metadata/',
  userProfiles: 'raw/user_profiles/',
  dailyEngagement: 'analytics/daily_aggregates/',
  dailyActiveUsers: 'analytics/daily_active_users/',
  rejectedPlayback: 'rejected/playback/',
  /** Where a Glue (or local plan-runner) ETL run writes the rows it rejected, per input file. */
  glueRejectedPlayback: 'rejected/playback/_glue/',
  glueScripts: 'scripts/glue/',
  /** Per Glue ETL run, the days its file touched, for the next aggregation run to pick up. */
  changedDays: 'state/changed-days/',
} as const;

/** The two aggregate tables and the lake prefix each is written under. */
export const AGGREGATE_TABLES = {
  daily_engagement: LAKE_LAYOUT.dailyEngagement,
  daily_active_users: LAKE_LAYOUT.dailyActiveUsers,
} as const;

/** Name of an aggregate table. */
export type AggregateTable = keyof typeof AGGREGATE_TABLES;

/**
 * The partition folder of one day of an aggregate table (`month` and `day` two digits).
 *
 * @example
 * partitionPrefix('daily_engagement', '2025-03-14');
 * // 'analytics/daily_aggregates/year=2025/month=03/day=14/'
 */
export function partitionPrefix(table: AggregateTable, day: string): string {
  const [year, month, dayOfMonth] = day.split('-');
  return `${AGGREGATE_TABLES[table]}year=${year}/month=${month}/day=${dayOfMonth}/`;
}

/**
 * How the aggregate objects are stored.
 *
 * @example
 * const format: AggregateFormat = 'csv';
 */
export type AggregateFormat = 'parquet' | 'csv';

/**
 * Name of each day's one object per table: fixed, so a rerun replaces it in one write.
 *
 * @example
 * `${partitionPrefix('daily_engagement', day)}${AGGREGATE_OBJECT_NAME}.parquet`;
 */
export const AGGREGATE_OBJECT_NAME = 'part-0';

/**
 * The lake key of one table's object for one day.
 *
 * @example
 * aggregateObjectKey('daily_engagement', '2025-03-14', 'parquet');
 * // 'analytics/daily_aggregates/year=2025/month=03/day=14/part-0.parquet'
 */
export function aggregateObjectKey(table: AggregateTable, day: string, format: AggregateFormat): string {
  return `${partitionPrefix(table, day)}${AGGREGATE_OBJECT_NAME}.${format}`;
}
