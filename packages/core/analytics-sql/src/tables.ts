import {
  DAILY_ACTIVE_USERS_COLUMNS,
  DAILY_ENGAGEMENT_COLUMNS,
  type AggregateTable,
  type ColumnSpec,
} from '@streampulse/schema';

/**
 * How the aggregate objects are stored: the aggregation job's `--format`.
 *
 * @example
 * const format: AggregateFileFormat = 'csv';
 */
export type AggregateFileFormat = 'parquet' | 'csv';

/**
 * Columns of each aggregate table in file order, partition columns excluded.
 *
 * @example
 * AGGREGATE_COLUMNS.daily_active_users.map((c) => c.name); // ['event_date', 'region', ...]
 */
export const AGGREGATE_COLUMNS: Readonly<Record<AggregateTable, readonly ColumnSpec[]>> = {
  daily_engagement: DAILY_ENGAGEMENT_COLUMNS,
  daily_active_users: DAILY_ACTIVE_USERS_COLUMNS,
};

/**
 * The partition columns, in path order (`year=2025/month=03/day=14`); integers in every engine.
 *
 * @example
 * `WHERE ${PARTITION_COLUMNS.map((p) => `${p} = ?`).join(' AND ')}`;
 */
export const PARTITION_COLUMNS = ['year', 'month', 'day'] as const;
