import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregateParquetCsv } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'streampulse-parquet-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One daily_active_users Parquet file of the given (region, active users) rows. */
async function activeUsersParquet(name: string, rows: [string, number][]): Promise<Buffer> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const path = join(dir, name);
  const values = rows
    .map(
      ([region, users]) =>
        `(DATE '2025-03-14', '${region}', 'ALL', 'ALL', ${users}, ${users}, 10.5::DOUBLE, 0.18::DOUBLE)`,
    )
    .join(', ');
  await connection.run(
    `COPY (SELECT * FROM (VALUES ${values}) AS t(event_date, region, device_type, genre, active_users, ` +
      `sessions, total_watch_minutes, total_watch_hours)) TO '${path}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
  return readFileSync(path);
}

describe('aggregateParquetCsv', () => {
  it("keeps the files' row order, or puts several files' rows in the contract's order", async () => {
    const second = await activeUsersParquet('b.parquet', [['West', 3]]);
    const first = await activeUsersParquet('a.parquet', [
      ['ALL', 7],
      ['East', 4],
    ]);
    const header =
      'event_date,region,device_type,genre,active_users,sessions,total_watch_minutes,total_watch_hours\n';
    const line = (region: string, users: number) =>
      `2025-03-14,${region},ALL,ALL,${users},${users},10.50,0.18\n`;

    expect(await aggregateParquetCsv([second, first], 'daily_active_users')).toBe(
      header + line('West', 3) + line('ALL', 7) + line('East', 4),
    );
    expect(await aggregateParquetCsv([second, first], 'daily_active_users', { sortByGroups: true })).toBe(
      header + line('ALL', 7) + line('East', 4) + line('West', 3),
    );
  });
});
