import type { AggregateTable, ColumnSpec } from '@streampulse/schema';
import { sqlString } from '@streampulse/contract-sql';
import { AGGREGATE_COLUMNS, PARTITION_COLUMNS } from './tables.js';

/**
 * Files a local table reads: glob patterns over one table's partition folders.
 *
 * @example
 * const sources: LocalTableSources = { csvGlob: partitionGlob('/lake/analytics/daily_aggregates', 'csv') };
 */
export interface LocalTableSources {
  /** e.g. `/lake/analytics/daily_aggregates/year=*\/month=*\/day=*\/*.parquet`; absent when none exist. */
  parquetGlob?: string;
  /** The same for `.csv` objects; absent when none exist. */
  csvGlob?: string;
}

/**
 * The glob matching one file extension in every partition folder of a table folder.
 *
 * @example
 * partitionGlob('/lake/analytics/daily_aggregates', 'parquet');
 * // '/lake/analytics/daily_aggregates/year=*\/month=*\/day=*\/*.parquet'
 */
export function partitionGlob(tableFolder: string, extension: 'parquet' | 'csv'): string {
  const base = tableFolder.endsWith('/') ? tableFolder.slice(0, -1) : tableFolder;
  return `${base}/year=*/month=*/day=*/*.${extension}`;
}

// DuckDB reads a zero-padded `month=03` as text unless told the partition types.
const hiveOptions = `hive_partitioning = true, hive_types = {${PARTITION_COLUMNS.map((p) => `'${p}': INTEGER`).join(', ')}}`;

function typedColumns(columns: readonly ColumnSpec[]): string {
  const data = columns.map((c) => `CAST(${c.name} AS ${c.duckdb}) AS ${c.name}`);
  return [...data, ...PARTITION_COLUMNS].join(', ');
}

function csvColumns(columns: readonly ColumnSpec[]): string {
  return `{${columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.duckdb)}`).join(', ')}}`;
}

function emptySelect(columns: readonly ColumnSpec[]): string {
  const data = columns.map((c) => `CAST(NULL AS ${c.duckdb}) AS ${c.name}`);
  const partitions = PARTITION_COLUMNS.map((p) => `CAST(NULL AS INTEGER) AS ${p}`);
  return `SELECT ${[...data, ...partitions].join(', ')} WHERE false`;
}

/**
 * The DuckDB view that serves an aggregate table locally with the same columns and types as in
 * Athena (partition columns year/month/day as integers, last): Parquet and CSV objects together,
 * or no rows at all when the lake has none yet (DuckDB refuses a glob that matches nothing).
 *
 * @example
 * await connection.run(localTableSql('daily_engagement', { parquetGlob: partitionGlob(folder, 'parquet') }));
 */
export function localTableSql(table: AggregateTable, sources: LocalTableSources): string {
  const columns = AGGREGATE_COLUMNS[table];
  const selects: string[] = [];
  if (sources.parquetGlob !== undefined) {
    selects.push(
      `SELECT ${typedColumns(columns)}\nFROM read_parquet(${sqlString(sources.parquetGlob)}, ${hiveOptions})`,
    );
  }
  if (sources.csvGlob !== undefined) {
    selects.push(
      `SELECT ${typedColumns(columns)}\nFROM read_csv(${sqlString(sources.csvGlob)}, header = true, auto_detect = false, ` +
        `delim = ',', quote = '"', escape = '"', columns = ${csvColumns(columns)}, ${hiveOptions})`,
    );
  }
  const body = selects.length > 0 ? selects.join('\nUNION ALL\n') : emptySelect(columns);
  return `CREATE OR REPLACE VIEW ${table} AS\n${body}`;
}
