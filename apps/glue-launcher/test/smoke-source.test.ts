import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openLake } from '@streampulse/lake';
import { DAILY_ACTIVE_USERS_COLUMNS, DAILY_ENGAGEMENT_COLUMNS, partitionPrefix } from '@streampulse/schema';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseSmokeSource, type SmokeSource } from '../src/cloud.js';

const expectedDir = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'packages/testing/golden/fixtures/basic/expected',
);
const day = '2025-03-11';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let source: SmokeSource;
let lakeDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  lakeDir = mkdtempSync(join(tmpdir(), 'streampulse-smoke-source-'));
  // Every smoke root maps to the one folder here; the roots themselves are tested with fakes.
  source = await warehouseSmokeSource(db.url, () => openLake(lakeDir));
}, 120_000);
afterAll(async () => {
  await source.close();
  await db.drop();
  await stopTestServer();
});

/** Writes an expected CSV as a typed Parquet object at its lake place, as the runner would. */
async function writeParquet(table: 'daily_engagement' | 'daily_active_users'): Promise<void> {
  const columns = table === 'daily_engagement' ? DAILY_ENGAGEMENT_COLUMNS : DAILY_ACTIVE_USERS_COLUMNS;
  const target = join(lakeDir, partitionPrefix(table, day), 'part-0.parquet');
  mkdirSync(dirname(target), { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const items = columns.map((c) => `CAST(${c.name} AS ${c.duckdb}) AS ${c.name}`).join(', ');
    await connection.run(
      `COPY (SELECT ${items} FROM read_csv('${join(expectedDir, table, `${day}.csv`)}', all_varchar = true, header = true)) ` +
        `TO '${target}' (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('warehouseSmokeSource', () => {
  it('reset leaves processed_data empty', async () => {
    await source.reset();
    expect(await source.processedCsv()).toBe(
      'session_id,user_id,content_id,title,genre,region,device_type,start_time,end_time,duration_min,event_date\n',
    );
  });

  it('reads a Parquet day back as the contract CSV', async () => {
    for (const table of ['daily_engagement', 'daily_active_users'] as const) {
      await writeParquet(table);
      expect(await source.aggregateCsv('s3://any/root', table, day)).toBe(
        readFileSync(join(expectedDir, table, `${day}.csv`), 'utf8'),
      );
    }
  });

  it("reads the days the ETL runs recorded, from Spark's part files only", async () => {
    const lake = openLake(lakeDir);
    await lake.write(
      'state/changed-days/dt=2025-03-11/a.csv/part-00000-9c.json',
      '{"event_date":"2025-03-11"}\n',
    );
    await lake.write(
      'state/changed-days/dt=2025-03-12/b.jsonl/part-00003-9c.json',
      '{"event_date":"2025-03-12"}\n{"event_date":"2025-03-11"}\n',
    );
    await lake.write('state/changed-days/dt=2025-03-12/b.jsonl/_SUCCESS', '');
    expect(await source.changedDays('s3://any/root')).toEqual(['2025-03-11', '2025-03-12']);
  });

  it("reads the rejected rows' reasons from the runs' part files only", async () => {
    const lake = openLake(lakeDir);
    const line = (row: number, reason: string) =>
      JSON.stringify({ source: 'raw/playback/a.csv', row, reason, record: { session_id: '' } });
    await lake.write(
      'rejected/playback/_glue/a.csv/part-00000-1f-c000.txt',
      `${line(1, 'missing_session_id')}\n${line(4, 'invalid_end_time')}\n`,
    );
    await lake.write(
      'rejected/playback/_glue/b.jsonl/part-00000-2f-c000.txt',
      `${line(2, 'malformed_row')}\nnot json\n`,
    );
    await lake.write('rejected/playback/_glue/b.jsonl/_SUCCESS', '');
    await lake.write('rejected/playback/a.csv.rejected.jsonl', `${line(9, 'local_only')}\n`);
    expect((await source.rejectedReasons('s3://any/root')).sort()).toEqual([
      'invalid_end_time',
      'malformed_row',
      'missing_session_id',
      'unreadable line',
    ]);
  });

  it('an absent object is undefined', async () => {
    expect(await source.aggregateCsv('s3://any/root', 'daily_engagement', '1999-01-01')).toBeUndefined();
  });
});
