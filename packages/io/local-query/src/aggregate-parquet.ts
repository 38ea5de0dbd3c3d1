import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { activeUsersCsv, engagementCsv } from '@streampulse/aggregate';
import {
  AGGREGATE_GROUP_COLUMNS,
  DAILY_ACTIVE_USERS_COLUMNS,
  DAILY_ENGAGEMENT_COLUMNS,
  type AggregateTable,
  type DailyActiveUsersRow,
  type DailyEngagementRow,
} from '@streampulse/schema';
import { sqlString } from '@streampulse/contract-sql';

/** Code-unit order of the group columns: the order of the contract's aggregate files. */
function byGroups(table: AggregateTable) {
  const columns = AGGREGATE_GROUP_COLUMNS[table];
  return (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    for (const column of columns) {
      const x = String(a[column]);
      const y = String(b[column]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

/**
 * One day's aggregate Parquet files (any number, any names) as the contract's CSV, read with
 * DuckDB: how a smoke run compares what a cloud engine wrote with a golden case's expected file.
 * Rows keep the files' order unless `sortByGroups` puts them in the contract's (for engines that
 * write several files not ordered among themselves, as Athena's UNLOAD).
 *
 * @example
 * const csv = await aggregateParquetCsv([await readFile('part-0.parquet')], 'daily_engagement');
 */
export async function aggregateParquetCsv(
  files: readonly Uint8Array[],
  table: AggregateTable,
  options: { sortByGroups?: boolean } = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'streampulse-parquet-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  let raw: Record<string, unknown>[];
  try {
    const paths = files.map((_, i) => join(dir, `part-${i}.parquet`));
    await Promise.all(files.map((bytes, i) => writeFile(paths[i] as string, bytes)));
    const list = paths.map(sqlString).join(', ');
    const result = await connection.runAndReadAll(
      `SELECT * FROM read_parquet([${list}], hive_partitioning = false)`,
    );
    raw = result.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
  const columns = table === 'daily_engagement' ? DAILY_ENGAGEMENT_COLUMNS : DAILY_ACTIVE_USERS_COLUMNS;
  const rows = raw.map((r) => {
    const row: Record<string, unknown> = {};
    for (const c of columns) row[c.name] = c.duckdb === 'BIGINT' ? Number(r[c.name]) : r[c.name];
    return row;
  });
  if (options.sortByGroups) rows.sort(byGroups(table));
  return table === 'daily_engagement'
    ? engagementCsv(rows as unknown as DailyEngagementRow[])
    : activeUsersCsv(rows as unknown as DailyActiveUsersRow[]);
}
