import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { activeUsersCsv, engagementCsv } from '@streampulse/aggregate';
import {
  DAILY_ACTIVE_USERS_COLUMNS,
  DAILY_ENGAGEMENT_COLUMNS,
  PROCESSED_COLUMNS,
  type AggregateTable,
  type DailyActiveUsersRow,
  type DailyEngagementRow,
} from '@streampulse/schema';

// The smoke run's local side: DuckDB turns a case's expected processed rows into the Parquet
// Athena reads, and reads back the Parquet Athena wrote. Another engine than the one tested.

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

async function withDuckdb<T>(work: (connection: DuckDBConnection, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'streampulse-athena-smoke-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await work(connection, dir);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The type a processed column has in the Parquet file (instants as UTC timestamps, as Athena's `timestamp`). */
function parquetColumn(name: string, duckdb: string): string {
  if (duckdb === 'TIMESTAMPTZ') return `CAST(${name} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS ${name}`;
  return duckdb === 'VARCHAR' ? name : `CAST(${name} AS ${duckdb}) AS ${name}`;
}

/**
 * `processed_data.csv` (the contract's CSV, with header) as one Parquet file with the table's types.
 *
 * @example
 * await lake.write('processed/processed_data.parquet', await processedParquet(goldenCase.processedCsv));
 */
export async function processedParquet(csv: string): Promise<Buffer> {
  return withDuckdb(async (connection, dir) => {
    const input = join(dir, 'processed_data.csv');
    const output = join(dir, 'processed_data.parquet');
    await writeFile(input, csv);
    const columns = PROCESSED_COLUMNS.map((c) => `'${c.name}': 'VARCHAR'`).join(', ');
    await connection.run(
      `COPY (SELECT ${PROCESSED_COLUMNS.map((c) => parquetColumn(c.name, c.duckdb)).join(', ')} ` +
        `FROM read_csv(${literal(input)}, header = true, auto_detect = false, delim = ',', quote = '"', ` +
        `escape = '"', columns = {${columns}})) TO ${literal(output)} (FORMAT parquet)`,
    );
    return readFile(output);
  });
}

const GROUP_COLUMNS: Readonly<Record<AggregateTable, readonly string[]>> = {
  daily_engagement: ['region', 'device_type', 'content_id', 'title', 'genre'],
  daily_active_users: ['region', 'device_type', 'genre'],
};

// The expected files are in code-unit order of the group columns; UNLOAD's files are each sorted
// but not ordered among themselves, so the rows are put in order here.
function byGroups(table: AggregateTable) {
  const columns = GROUP_COLUMNS[table];
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
 * The rows of one day's aggregate Parquet files (any number, any names) as the contract's CSV.
 *
 * @example
 * const csv = await aggregateCsvOf([first, second], 'daily_engagement');
 */
export async function aggregateCsvOf(files: readonly Uint8Array[], table: AggregateTable): Promise<string> {
  const rows = await withDuckdb(async (connection, dir) => {
    const paths = files.map((_, i) => join(dir, `part-${i}.parquet`));
    await Promise.all(files.map((bytes, i) => writeFile(paths[i] as string, bytes)));
    const result = await connection.runAndReadAll(
      `SELECT * FROM read_parquet([${paths.map(literal).join(', ')}], hive_partitioning = false)`,
    );
    return result.getRowObjectsJson();
  });
  const columns = table === 'daily_engagement' ? DAILY_ENGAGEMENT_COLUMNS : DAILY_ACTIVE_USERS_COLUMNS;
  const typed = rows
    .map((raw) => {
      const row: Record<string, unknown> = {};
      for (const c of columns) row[c.name] = c.duckdb === 'BIGINT' ? Number(raw[c.name]) : raw[c.name];
      return row;
    })
    .sort(byGroups(table));
  return table === 'daily_engagement'
    ? engagementCsv(typed as unknown as DailyEngagementRow[])
    : activeUsersCsv(typed as unknown as DailyActiveUsersRow[]);
}
