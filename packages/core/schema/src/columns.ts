import type { AggregateTable } from './layout.js';

/** One column of a table the pipeline writes, with its type in each engine that declares it. */
export interface ColumnSpec {
  readonly name: string;
  /** PostgreSQL type. */
  readonly postgres: string;
  /** Athena (Hive DDL) type. */
  readonly athena: string;
  /** Parquet physical/logical type as DuckDB writes it. */
  readonly duckdb: string;
}

const text = { postgres: 'text', athena: 'string', duckdb: 'VARCHAR' } as const;
const instant = { postgres: 'timestamptz', athena: 'timestamp', duckdb: 'TIMESTAMPTZ' } as const;
const date = { postgres: 'date', athena: 'date', duckdb: 'DATE' } as const;
const count = { postgres: 'bigint', athena: 'bigint', duckdb: 'BIGINT' } as const;
const measure = { postgres: 'double precision', athena: 'double', duckdb: 'DOUBLE' } as const;

/**
 * The 11 standardized columns of `processed.processed_data`, in table order.
 *
 * @example
 * PROCESSED_COLUMNS.map((c) => c.name).join(',') // 'session_id,user_id,...,event_date'
 */
export const PROCESSED_COLUMNS: readonly ColumnSpec[] = [
  { name: 'session_id', ...text },
  { name: 'user_id', ...text },
  { name: 'content_id', ...text },
  { name: 'title', ...text },
  { name: 'genre', ...text },
  { name: 'region', ...text },
  { name: 'device_type', ...text },
  { name: 'start_time', ...instant },
  { name: 'end_time', ...instant },
  { name: 'duration_min', postgres: 'numeric(10,2)', athena: 'decimal(10,2)', duckdb: 'DECIMAL(10,2)' },
  { name: 'event_date', ...date },
];

/** Columns of `daily_engagement` (partition columns year/month/day live in the path). */
export const DAILY_ENGAGEMENT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'event_date', ...date },
  { name: 'region', ...text },
  { name: 'device_type', ...text },
  { name: 'content_id', ...text },
  { name: 'title', ...text },
  { name: 'genre', ...text },
  { name: 'unique_viewers', ...count },
  { name: 'sessions', ...count },
  { name: 'total_watch_minutes', ...measure },
  { name: 'total_watch_hours', ...measure },
  { name: 'avg_session_duration_min', ...measure },
];

/** Columns of `daily_active_users`: distinct counts that cannot be summed from `daily_engagement`. */
export const DAILY_ACTIVE_USERS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'event_date', ...date },
  { name: 'region', ...text },
  { name: 'device_type', ...text },
  { name: 'genre', ...text },
  { name: 'active_users', ...count },
  { name: 'sessions', ...count },
  { name: 'total_watch_minutes', ...measure },
  { name: 'total_watch_hours', ...measure },
];

/**
 * The columns each aggregate table groups by, in the order its rows are sorted (code-unit order,
 * column after column). `daily_active_users` groups by each one alone, the others set to `ALL`.
 *
 * @example
 * AGGREGATE_GROUP_COLUMNS.daily_active_users; // ['region', 'device_type', 'genre']
 */
export const AGGREGATE_GROUP_COLUMNS: Readonly<Record<AggregateTable, readonly string[]>> = {
  daily_engagement: ['region', 'device_type', 'content_id', 'title', 'genre'],
  daily_active_users: ['region', 'device_type', 'genre'],
};
