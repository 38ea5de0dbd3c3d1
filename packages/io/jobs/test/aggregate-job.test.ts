import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { activeUsersCsv, aggregateByDay, DailyAggregator, engagementCsv } from '@streampulse/aggregate';
import { goldenCases, lakeFiles, type GoldenCase } from '@streampulse/golden';
import { LocalLake, openLake, type Lake } from '@streampulse/lake';
import {
  aggregateObjectKey,
  DAILY_ACTIVE_USERS_COLUMNS,
  DAILY_ENGAGEMENT_COLUMNS,
  type AggregateFormat,
  LAKE_LAYOUT,
  partitionPrefix,
  pipelineSettingsSchema,
  type ColumnSpec,
  type DailyActiveUsersRow,
  type DailyEngagementRow,
  type ProcessedRow,
} from '@streampulse/schema';
import { runPipeline } from '@streampulse/transform';
import { LOAD_LOCK } from '@streampulse/contract-sql';
import { migrate, pendingDays } from '@streampulse/warehouse';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AggregateJobError, runAggregateJob, runEtlJob } from '../src/index.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';

afterAll(stopTestServer);

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `aggregate-job-${label}-`));
  temps.push(dir);
  return dir;
}

async function readText(lake: Lake, key: string): Promise<string> {
  return (await readBytes(lake, key)).toString('utf8');
}

async function readBytes(lake: Lake, key: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await lake.read(key)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function listKeys(lake: Lake, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of lake.list(prefix)) keys.push(object.key);
  return keys;
}

/** What a file reader (DuckDB, Spark, Athena on a synced copy) sees: no hidden names. */
function visibleFiles(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).filter((name) => !name.startsWith('.')) : [];
}

const settingsOf = (golden: GoldenCase) =>
  pipelineSettingsSchema.parse({
    sourceTimeZone: golden.settings.source_tz,
    reportingTimeZone: golden.settings.reporting_tz,
  });

/** Rows of a Parquet file as the contract's CSV, read with DuckDB directly. */
async function parquetAsCsv(path: string, columns: readonly ColumnSpec[]): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const result = await connection.runAndReadAll(
      `SELECT * FROM read_parquet('${path}', hive_partitioning = false)`,
    );
    const rows = result.getRowObjectsJson().map((raw) => {
      const row: Record<string, unknown> = {};
      for (const c of columns) row[c.name] = c.duckdb === 'BIGINT' ? Number(raw[c.name]) : raw[c.name];
      return row;
    });
    return columns === DAILY_ENGAGEMENT_COLUMNS
      ? engagementCsv(rows as unknown as DailyEngagementRow[])
      : activeUsersCsv(rows as unknown as DailyActiveUsersRow[]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function parquetFacts(path: string): Promise<{ types: Record<string, string>; codecs: string[] }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const described = await connection.runAndReadAll(
      `DESCRIBE SELECT * FROM read_parquet('${path}', hive_partitioning = false)`,
    );
    const types = Object.fromEntries(
      described.getRowObjectsJson().map((r) => [String(r.column_name), String(r.column_type)]),
    );
    const codecs = await connection.runAndReadAll(
      `SELECT DISTINCT compression FROM parquet_metadata('${path}') ORDER BY 1`,
    );
    return { types, codecs: codecs.getRowsJson().map((r) => String(r[0])) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe.each(goldenCases().map((c) => [`${c.origin}/${c.name}`, c] as const))(
  'runAggregateJob on golden case %s',
  (_, golden) => {
    let db: TestDatabase;
    let lakeDir: string;
    let lake: Lake;

    beforeAll(async () => {
      db = await createTestDatabase(golden.name);
      lakeDir = await tempDir(golden.name);
      await cp(golden.lakeDir, lakeDir, { recursive: true });
      lake = openLake(lakeDir);
      await runEtlJob({ lake, pool: db.pool, settings: settingsOf(golden) });
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('writes both tables of every golden day as CSV equal to the expected files, byte for byte', async () => {
      const report = await runAggregateJob({ lake, pool: db.pool, days: golden.days, format: 'csv' });
      expect(report.format).toBe('csv');
      expect(report.days.map((d) => d.day)).toEqual(golden.days);
      for (const day of golden.days) {
        expect(await readText(lake, aggregateObjectKey('daily_engagement', day, 'csv')), day).toBe(
          golden.engagementCsv(day),
        );
        expect(await readText(lake, aggregateObjectKey('daily_active_users', day, 'csv')), day).toBe(
          golden.activeUsersCsv(day),
        );
      }
    });

    it('aggregates in PostgreSQL exactly as the pure reference does, day by day', async () => {
      const { rows } = await runPipeline(
        {
          playback: lakeFiles(golden.lakeDir, LAKE_LAYOUT.playback),
          contentMetadata: lakeFiles(golden.lakeDir, LAKE_LAYOUT.contentMetadata),
          userProfiles: lakeFiles(golden.lakeDir, LAKE_LAYOUT.userProfiles),
        },
        settingsOf(golden),
      );
      const pure = aggregateByDay(rows);
      const report = await runAggregateJob({
        lake,
        pool: db.pool,
        days: pure.map((d) => d.eventDate),
        format: 'csv',
      });
      for (const [i, day] of pure.entries()) {
        expect(report.days[i]).toMatchObject({
          day: day.eventDate,
          engagement_rows: day.engagement.length,
          active_users_rows: day.activeUsers.length,
        });
        expect(await readText(lake, aggregateObjectKey('daily_engagement', day.eventDate, 'csv'))).toBe(
          engagementCsv(day.engagement),
        );
        expect(await readText(lake, aggregateObjectKey('daily_active_users', day.eventDate, 'csv'))).toBe(
          activeUsersCsv(day.activeUsers),
        );
      }
    });

    it('writes snappy Parquet with DATE, BIGINT and DOUBLE columns holding exactly the golden rows', async () => {
      const report = await runAggregateJob({ lake, pool: db.pool, days: golden.days });
      expect(report.format).toBe('parquet');
      for (const day of golden.days) {
        const engagementPath = join(lakeDir, aggregateObjectKey('daily_engagement', day, 'parquet'));
        const activeUsersPath = join(lakeDir, aggregateObjectKey('daily_active_users', day, 'parquet'));
        expect(await parquetAsCsv(engagementPath, DAILY_ENGAGEMENT_COLUMNS), day).toBe(
          golden.engagementCsv(day),
        );
        expect(await parquetAsCsv(activeUsersPath, DAILY_ACTIVE_USERS_COLUMNS), day).toBe(
          golden.activeUsersCsv(day),
        );
        const facts = await parquetFacts(engagementPath);
        expect(facts.codecs).toEqual(['SNAPPY']);
        expect(facts.types).toEqual(
          Object.fromEntries(DAILY_ENGAGEMENT_COLUMNS.map((c) => [c.name, c.duckdb])),
        );
        // The CSV objects of the previous tests were replaced, not kept beside the Parquet ones.
        expect(await listKeys(lake, partitionPrefix('daily_engagement', day))).toEqual([
          aggregateObjectKey('daily_engagement', day, 'parquet'),
        ]);
      }
    });
  },
);

// ---------------------------------------------------------------------------------------------

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function insertRows(pool: pg.Pool, rows: readonly ProcessedRow[]): Promise<void> {
  const column = <K extends keyof ProcessedRow>(key: K) => rows.map((r) => r[key]);
  await pool.query(
    `INSERT INTO processed.processed_data
       (session_id, user_id, content_id, title, genre, region, device_type, start_time, end_time, duration_min, event_date)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::timestamptz[], $9::timestamptz[], $10::numeric[], $11::date[])`,
    [
      column('session_id'),
      column('user_id'),
      column('content_id'),
      column('title'),
      column('genre'),
      column('region'),
      column('device_type'),
      rows.map((r) => new Date(r.start_time)),
      rows.map((r) => new Date(r.end_time)),
      rows.map((r) => r.duration_min.toFixed(2)),
      column('event_date'),
    ],
  );
}

/** Advisory locks in this test's database: held, and asked for but not granted. */
async function advisoryLocks(pool: pg.Pool): Promise<{ held: number; waiting: number }> {
  const result = await pool.query<{ held: string; waiting: string }>(
    `SELECT count(*) FILTER (WHERE granted) AS held, count(*) FILTER (WHERE NOT granted) AS waiting
       FROM pg_locks
      WHERE locktype = 'advisory'
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return { held: Number(result.rows[0]?.held), waiting: Number(result.rows[0]?.waiting) };
}

/** Waits for a condition another task brings about; fails after a bounded number of checks. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition never came true');
}

function syntheticRows(seed: number, day: string, count: number, prefix: string): ProcessedRow[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  // Mixed case, accents and punctuation: the order must be code points, not a locale's.
  const regions = ['North', 'north', 'Zürich', 'São Paulo', 'Ägypten', 'East, Coast', 'Unknown'];
  const titles = ['alpha', 'Alpha', 'The "Big", Story', 'Émile', 'zeta'];
  const genres = ['Drama', 'drama', 'Kids', 'Unknown'];
  const devices = ['tv', 'mobile', 'tablet', 'web', 'console', 'unknown', 'other'] as const;
  const start = Date.parse(`${day}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    // Many amounts whose hours or averages land exactly on a half hundredth.
    const hundredths =
      pick([30, 90, 150, 1, 3, 5, 15]) * (1 + Math.floor(next() * 40)) + Math.floor(next() * 3);
    return {
      session_id: `${prefix}${String(i).padStart(5, '0')}`,
      user_id: `U${Math.floor(next() * 25)}`,
      content_id: `C${Math.floor(next() * 6)}`,
      title: pick(titles),
      genre: pick(genres),
      region: pick(regions),
      device_type: pick(devices),
      start_time: start,
      end_time: start + hundredths * 600,
      duration_min: hundredths / 100,
      event_date: day,
    };
  });
}

describe('runAggregateJob', () => {
  let db: TestDatabase;
  let lakeDir: string;
  let scratchDir: string;
  let lake: Lake;
  const dayA = '2025-03-14';
  const dayB = '2025-03-15';
  const rowsA = syntheticRows(1, dayA, 600, 'A');
  const rowsB = syntheticRows(2, dayB, 250, 'B');

  beforeAll(async () => {
    db = await createTestDatabase('aggregate');
    await migrate(db.pool);
    await insertRows(db.pool, [...rowsA, ...rowsB]);
    lakeDir = await tempDir('synthetic');
    scratchDir = await tempDir('scratch');
    lake = openLake(lakeDir);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const run = (days: string[], format: AggregateFormat) =>
    runAggregateJob({ lake, pool: db.pool, days, format, scratchDir });

  it('equals the pure DailyAggregator on rows with half-hundredth amounts and code-point ordering', async () => {
    await run([dayA, dayB], 'csv');
    for (const [day, rows] of [
      [dayA, rowsA],
      [dayB, rowsB],
    ] as const) {
      const pure = new DailyAggregator(day);
      for (const row of rows) pure.add(row);
      const { engagement, activeUsers } = pure.result();
      expect(await readText(lake, aggregateObjectKey('daily_engagement', day, 'csv'))).toBe(
        engagementCsv(engagement),
      );
      expect(await readText(lake, aggregateObjectKey('daily_active_users', day, 'csv'))).toBe(
        activeUsersCsv(activeUsers),
      );
    }
  });

  it.each(['parquet', 'csv'] as const)(
    'replaces a rerun %s day in place: one object per table, identical bytes',
    async (format) => {
      const first = await run([dayA], format);
      const keys = first.days.flatMap((d) => d.objects);
      const before = await Promise.all(keys.map((key) => readBytes(lake, key)));
      const again = await run([dayA], format);
      expect(again).toEqual(first);
      expect(await Promise.all(keys.map((key) => readBytes(lake, key)))).toEqual(before);
      expect(await listKeys(lake, partitionPrefix('daily_engagement', dayA))).toEqual([
        aggregateObjectKey('daily_engagement', dayA, format),
      ]);
      expect(await listKeys(lake, partitionPrefix('daily_active_users', dayA))).toEqual([
        aggregateObjectKey('daily_active_users', dayA, format),
      ]);
      expect(readdirSync(scratchDir)).toEqual([]);
    },
  );

  it('never shows a reader polling the partition two objects, or none, while the day is rerun', async () => {
    const prefix = partitionPrefix('daily_engagement', dayA);
    const folder = join(lakeDir, prefix);
    await run([dayA], 'parquet');
    const seen: number[] = [];
    let done = false;
    const poller = (async () => {
      while (!done) {
        seen.push((await listKeys(lake, prefix)).length, visibleFiles(folder).length);
        await tick();
      }
    })();
    for (let i = 0; i < 4; i += 1) await run([dayA], 'parquet');
    done = true;
    await poller;
    expect(seen.length).toBeGreaterThan(10);
    expect(new Set(seen)).toEqual(new Set([1]));
  });

  it('switches format writing the new object before deleting the old, one object left after', async () => {
    const prefix = partitionPrefix('daily_active_users', dayB);
    await run([dayB], 'csv');
    const seen: number[] = [];
    let done = false;
    const poller = (async () => {
      while (!done) {
        seen.push((await listKeys(lake, prefix)).length);
        await tick();
      }
    })();
    await run([dayB], 'parquet');
    done = true;
    await poller;
    expect(seen).not.toContain(0);
    expect(await listKeys(lake, prefix)).toEqual([aggregateObjectKey('daily_active_users', dayB, 'parquet')]);
    await run([dayB], 'csv');
    expect(await listKeys(lake, prefix)).toEqual([aggregateObjectKey('daily_active_users', dayB, 'csv')]);
  });

  it('makes a second run of a day wait for the first, so two formats never delete each other', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // The first run holds its write until the second run is seen waiting for the day.
    class GatedLake extends LocalLake {
      override async write(...args: Parameters<LocalLake['write']>) {
        await gate;
        return super.write(...args);
      }
    }
    const first = runAggregateJob({
      lake: new GatedLake(lakeDir),
      pool: db.pool,
      days: [dayB],
      format: 'csv',
    });
    await until(async () => (await advisoryLocks(db.pool)).held === 1);
    const second = run([dayB], 'parquet');
    await until(async () => (await advisoryLocks(db.pool)).waiting === 1);
    open();
    await Promise.all([first, second]);
    for (const table of ['daily_engagement', 'daily_active_users'] as const) {
      expect(await listKeys(lake, partitionPrefix(table, dayB))).toEqual([
        aggregateObjectKey(table, dayB, 'parquet'),
      ]);
    }
    expect(await advisoryLocks(db.pool)).toEqual({ held: 0, waiting: 0 });
  });

  it('removes both partitions of a day whose rows are gone, and creates none for a day without rows', async () => {
    const day = '2025-03-20';
    await insertRows(db.pool, syntheticRows(3, day, 5, 'D'));
    expect((await run([day], 'parquet')).days.flatMap((d) => d.objects)).toHaveLength(2);
    await db.pool.query(`DELETE FROM processed.processed_data WHERE event_date = $1`, [day]);

    const report = await run([day, '2025-03-21'], 'csv');
    expect(report.days).toEqual([
      { day, engagement_rows: 0, active_users_rows: 0, objects: [] },
      { day: '2025-03-21', engagement_rows: 0, active_users_rows: 0, objects: [] },
    ]);
    for (const table of ['daily_engagement', 'daily_active_users'] as const) {
      for (const emptyDay of [day, '2025-03-21']) {
        expect(await listKeys(lake, partitionPrefix(table, emptyDay))).toEqual([]);
        expect(existsSync(join(lakeDir, partitionPrefix(table, emptyDay)))).toBe(false);
      }
      // Other days of the same month keep their partitions.
      expect(existsSync(join(lakeDir, partitionPrefix(table, dayA)))).toBe(true);
    }
  });

  it('refuses a day that is not a real date, naming it, before touching the lake', async () => {
    const failure = run(['2025-02-29'], 'csv');
    await expect(failure).rejects.toBeInstanceOf(AggregateJobError);
    await expect(failure).rejects.toMatchObject({
      code: 'invalid_day',
      message: expect.stringContaining('2025-02-29'),
    });
  });

  it('refuses an unknown format', async () => {
    await expect(
      runAggregateJob({ lake, pool: db.pool, days: [dayA], format: 'orc' as AggregateFormat }),
    ).rejects.toMatchObject({ code: 'invalid_format' });
  });
});

// ---------------------------------------------------------------------------------------------

describe('runAggregateJob with pending days', () => {
  let db: TestDatabase;
  let lakeDir: string;
  let lake: Lake;
  const settings = pipelineSettingsSchema.parse({ sourceTimeZone: 'UTC', reportingTimeZone: 'UTC' });
  const at = (iso: string) => () => new Date(iso);

  async function playback(name: string, lines: string[]): Promise<void> {
    const path = join(lakeDir, LAKE_LAYOUT.playback, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(
      path,
      ['session_id,user_id,content_id,device_type,start_time,end_time', ...lines].join('\n') + '\n',
    );
  }

  beforeAll(async () => {
    db = await createTestDatabase('pending');
    lakeDir = await tempDir('pending');
    lake = openLake(lakeDir);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('aggregates a late file for an already aggregated day on the next pending run', async () => {
    await playback('dt=2025-03-10/a.csv', [
      'S1,U1,C1,tv,2025-03-10T08:00:00Z,2025-03-10T09:00:00Z',
      'S2,U2,C1,mobile,2025-03-11T08:00:00Z,2025-03-11T08:30:00Z',
    ]);
    await runEtlJob({ lake, pool: db.pool, settings, now: at('2025-03-12T00:00:00Z') });

    const first = await runAggregateJob({
      lake,
      pool: db.pool,
      days: 'pending',
      format: 'csv',
      now: at('2025-03-12T01:00:00Z'),
    });
    expect(first.days.map((d) => d.day)).toEqual(['2025-03-10', '2025-03-11']);
    expect(await pendingDays(db.pool)).toEqual([]);
    expect((await runAggregateJob({ lake, pool: db.pool, days: 'pending', format: 'csv' })).days).toEqual([]);

    // Days later, a file for 2025-03-10 arrives.
    await playback('dt=2025-03-10/late.csv', ['S3,U3,C1,mobile,2025-03-10T10:00:00Z,2025-03-10T10:45:00Z']);
    await runEtlJob({ lake, pool: db.pool, settings, now: at('2025-03-15T00:00:00Z') });
    expect(await pendingDays(db.pool)).toEqual(['2025-03-10']);

    const late = await runAggregateJob({
      lake,
      pool: db.pool,
      days: 'pending',
      format: 'csv',
      now: at('2025-03-15T01:00:00Z'),
    });
    expect(late.days).toEqual([
      {
        day: '2025-03-10',
        engagement_rows: 2,
        active_users_rows: 5,
        objects: [
          aggregateObjectKey('daily_engagement', '2025-03-10', 'csv'),
          aggregateObjectKey('daily_active_users', '2025-03-10', 'csv'),
        ],
      },
    ]);
    const allRow = (
      await readText(lake, aggregateObjectKey('daily_active_users', '2025-03-10', 'csv'))
    ).split('\n')[1];
    expect(allRow).toBe('2025-03-10,ALL,ALL,ALL,2,2,105.00,1.75');
    expect(await pendingDays(db.pool)).toEqual([]);
  });

  it('marks days with the clock read before the rows, so a change stamped later stays pending', async () => {
    await playback('dt=2025-03-11/b.csv', ['S4,U4,C2,web,2025-03-11T12:00:00Z,2025-03-11T12:10:00Z']);
    await runEtlJob({ lake, pool: db.pool, settings, now: at('2025-03-20T00:00:00Z') });
    const report = await runAggregateJob({
      lake,
      pool: db.pool,
      days: 'pending',
      format: 'csv',
      now: at('2025-03-19T00:00:00Z'),
    });
    expect(report.days.map((d) => d.day)).toEqual(['2025-03-11']);
    expect(await pendingDays(db.pool)).toEqual(['2025-03-11']);
  });

  it('waits for a load that is merging, so rows stamped before the read are never marked aggregated unread', async () => {
    // A load holds the load lock while it merges: its rows and its day change are not committed.
    const loader = await db.pool.connect();
    try {
      await loader.query('BEGIN');
      await loader.query('SELECT pg_advisory_xact_lock($1, $2)', [...LOAD_LOCK]);
      await loader.query(
        `INSERT INTO processed.processed_data VALUES
           ('S9', 'U9', 'C9', 'T', 'Drama', 'North', 'tv', '2025-03-12T10:00:00Z', '2025-03-12T10:30:00Z', 30.00, '2025-03-12')`,
      );
      await loader.query(
        `INSERT INTO processed.day_changes (event_date, changed_at) VALUES ('2025-03-12', '2025-03-21T00:00:00Z')`,
      );
      const run = runAggregateJob({
        lake,
        pool: db.pool,
        days: ['2025-03-12'],
        format: 'csv',
        now: at('2025-03-21T01:00:00Z'),
      });
      // The aggregation is now waiting on the load lock; let it get there before committing.
      for (let i = 0; i < 100; i += 1) {
        const { rows } = await db.pool.query(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
        );
        if (rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await loader.query('COMMIT');
      const report = await run;
      expect(report.days).toEqual([expect.objectContaining({ day: '2025-03-12', engagement_rows: 1 })]);
      expect(await pendingDays(db.pool)).not.toContain('2025-03-12');
    } finally {
      loader.release();
    }
  });
});
