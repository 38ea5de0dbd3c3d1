import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { activeUsersCsv, engagementCsv } from '@streampulse/aggregate';
import type { Lake } from '@streampulse/lake';
import {
  DAILY_ACTIVE_USERS_COLUMNS,
  DAILY_ENGAGEMENT_COLUMNS,
  partitionPrefix,
  type AggregateTable,
  type DailyActiveUsersRow,
  type DailyEngagementRow,
} from '@streampulse/schema';
import { connectWarehouse, dumpProcessedCsv, migrate } from '@streampulse/warehouse';
import type { SmokeSource } from './smoke.js';

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Parquet bytes as the contract's CSV, read with DuckDB (what Spark wrote is read by another engine). */
async function parquetCsv(bytes: Buffer, table: AggregateTable): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'streampulse-smoke-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const path = join(dir, 'part-0.parquet');
    await writeFile(path, bytes);
    const columns = table === 'daily_engagement' ? DAILY_ENGAGEMENT_COLUMNS : DAILY_ACTIVE_USERS_COLUMNS;
    const result = await connection.runAndReadAll(
      `SELECT * FROM read_parquet('${path.replace(/'/g, "''")}', hive_partitioning = false)`,
    );
    const rows = result.getRowObjectsJson().map((raw) => {
      const row: Record<string, unknown> = {};
      for (const c of columns) row[c.name] = c.duckdb === 'BIGINT' ? Number(raw[c.name]) : raw[c.name];
      return row;
    });
    return table === 'daily_engagement'
      ? engagementCsv(rows as unknown as DailyEngagementRow[])
      : activeUsersCsv(rows as unknown as DailyActiveUsersRow[]);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The real results source of `smoke`: the warehouse at `databaseUrl` (the one the Glue jobs
 * write to; `reset` empties its processed tables, so point it at a scratch database) and the
 * aggregate Parquet objects read through `lakeFor(root)`.
 *
 * @example
 * const source = await warehouseSmokeSource(databaseUrl, (root) => openLake(root, { env }));
 */
export async function warehouseSmokeSource(
  databaseUrl: string,
  lakeFor: (root: string) => Lake,
): Promise<SmokeSource> {
  const pool = await connectWarehouse(databaseUrl, { max: 2, applicationName: 'glue-launcher smoke' });
  return {
    async reset() {
      await migrate(pool);
      await pool.query('TRUNCATE processed.processed_data, processed.day_changes');
    },
    processedCsv: () => dumpProcessedCsv(pool),
    async aggregateCsv(root, table, day) {
      const lake = lakeFor(root);
      const key = `${partitionPrefix(table, day)}part-0.parquet`;
      if (!(await lake.stat(key))) return undefined;
      return parquetCsv(await collect(await lake.read(key)), table);
    },
    close: () => pool.end(),
  };
}
