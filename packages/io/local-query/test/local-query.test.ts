import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeUsersCsv, engagementCsv } from '@streampulse/aggregate';
import { AGGREGATE_COLUMNS, DASHBOARD_VIEWS } from '@streampulse/analytics-sql';
import { goldenCases } from '@streampulse/golden';
import { runAggregateJob, runEtlJob } from '@streampulse/jobs';
import { LocalLake, openLake, type Lake } from '@streampulse/lake';
import type { AggregateTable, DailyActiveUsersRow, DailyEngagementRow } from '@streampulse/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalQueryError, openLocalQuery, type LocalQuery, type QueryResult } from '../src/index.js';
import { copyOfGoldenLake, csvAggregateLake, settingsOf } from './support/golden-lake.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';

afterAll(stopTestServer);

/** The contract's sample query, exactly as written there. */
const SAMPLE_QUERY = `SELECT title, total_watch_hours, unique_viewers
FROM daily_engagement
ORDER BY total_watch_hours DESC
LIMIT 10;`;

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `local-query-${label}-`));
  temps.push(dir);
  return dir;
}

function objects(result: QueryResult): Record<string, unknown>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, row[i]])));
}

/** A day of a table read through local SQL, filtered on the integer partitions, as the contract's CSV. */
async function dayAsCsv(local: LocalQuery, table: AggregateTable, day: string): Promise<string> {
  const [year, month, dayOfMonth] = day.split('-').map(Number);
  const columns = AGGREGATE_COLUMNS[table].map((c) => c.name);
  const groups = columns.filter((c) => ['region', 'device_type', 'content_id', 'title', 'genre'].includes(c));
  const result = await local.query(
    `SELECT ${columns.join(', ')} FROM ${table}
      WHERE year = ${year} AND month = ${month} AND day = ${dayOfMonth}
      ORDER BY ${groups.join(', ')}`,
  );
  const rows = objects(result);
  return table === 'daily_engagement'
    ? engagementCsv(rows as unknown as DailyEngagementRow[])
    : activeUsersCsv(rows as unknown as DailyActiveUsersRow[]);
}

const lineCount = (csv: string): number => csv.split('\n').filter(Boolean).length - 1;

describe.each(goldenCases().map((c) => [`${c.origin}/${c.name}`, c] as const))(
  'local SQL over golden case %s',
  (_, golden) => {
    describe('with CSV aggregates', () => {
      let local: LocalQuery;

      beforeAll(async () => {
        const lakeDir = await csvAggregateLake(golden);
        temps.push(lakeDir);
        local = await openLocalQuery({ lake: openLake(lakeDir), scratchDir: await tempDir('scratch') });
      });
      afterAll(async () => {
        await local?.close();
      });

      it('runs the contract sample query as written', async () => {
        const result = await local.query(SAMPLE_QUERY);
        expect(result.columns).toEqual(['title', 'total_watch_hours', 'unique_viewers']);
        const total = golden.days.reduce((n, day) => n + lineCount(golden.engagementCsv(day)), 0);
        expect(result.rows).toHaveLength(Math.min(10, total));
        const hours = result.rows.map((row) => row[1] as number);
        expect(hours).toEqual([...hours].sort((a, b) => b - a));
        expect(result.rows.every((row) => typeof row[0] === 'string' && typeof row[2] === 'number')).toBe(
          true,
        );
      });

      it('declares both tables with the Athena columns and integer year, month and day', async () => {
        for (const table of ['daily_engagement', 'daily_active_users'] as const) {
          const described = objects(await local.query(`DESCRIBE ${table}`));
          expect(described.map((c) => [c.column_name, c.column_type])).toEqual([
            ...AGGREGATE_COLUMNS[table].map((c) => [c.name, c.duckdb]),
            ['year', 'INTEGER'],
            ['month', 'INTEGER'],
            ['day', 'INTEGER'],
          ]);
        }
      });

      it('reads every golden day back exactly, filtered by integer partitions', async () => {
        for (const day of golden.days) {
          expect(await dayAsCsv(local, 'daily_engagement', day), day).toBe(golden.engagementCsv(day));
          expect(await dayAsCsv(local, 'daily_active_users', day), day).toBe(golden.activeUsersCsv(day));
        }
      });

      it.each(DASHBOARD_VIEWS.map((v) => [v.name]))('answers dashboard view %s with rows', async (name) => {
        const result = await local.query(`SELECT * FROM ${name}`);
        expect(result.rows.length).toBeGreaterThan(0);
        // Per-day views lead with the partition columns; top_titles sums over every day.
        expect(result.columns.slice(0, 4)).toEqual(
          name === 'top_titles'
            ? ['title_rank', 'content_id', 'title', 'genre']
            : ['event_date', 'year', 'month', 'day'],
        );
      });

      it('gives each day its distinct viewers from daily_active_users, not a sum over groups', async () => {
        const result = objects(
          await local.query('SELECT event_date, unique_viewers FROM daily_unique_viewers'),
        );
        const expected = golden.days.map((day) => {
          const wholeDay = golden.activeUsersCsv(day).split('\n')[1]?.split(',') ?? [];
          return { event_date: day, unique_viewers: Number(wholeDay[4]) };
        });
        expect(result.sort((a, b) => String(a.event_date).localeCompare(String(b.event_date)))).toEqual(
          expected,
        );
      });

      it('ranks at most 10 titles per day', async () => {
        const result = objects(
          await local.query(
            'SELECT event_date, max(title_rank) AS top FROM top_titles_by_watch_hours GROUP BY 1',
          ),
        );
        expect(result.length).toBe(golden.days.length);
        for (const row of result) expect(row.top as number).toBeLessThanOrEqual(10);
      });
    });

    describe('with Parquet aggregates written by the aggregation job', () => {
      let db: TestDatabase;
      let lake: Lake;
      let lakeDir: string;

      beforeAll(async () => {
        db = await createTestDatabase(golden.name);
        lakeDir = await copyOfGoldenLake(golden);
        temps.push(lakeDir);
        lake = openLake(lakeDir);
        await runEtlJob({ lake, pool: db.pool, settings: settingsOf(golden) });
        await runAggregateJob({ lake, pool: db.pool, days: golden.days, format: 'parquet' });
      });
      afterAll(async () => {
        await db?.drop();
      });

      it('reads every golden day back exactly as the expected files', async () => {
        const local = await openLocalQuery({ lake, scratchDir: await tempDir('scratch') });
        try {
          for (const day of golden.days) {
            expect(await dayAsCsv(local, 'daily_engagement', day), day).toBe(golden.engagementCsv(day));
            expect(await dayAsCsv(local, 'daily_active_users', day), day).toBe(golden.activeUsersCsv(day));
          }
        } finally {
          await local.close();
        }
      });

      it('reads a table whose days are partly Parquet and partly CSV', async () => {
        const [first] = golden.days;
        await runAggregateJob({ lake, pool: db.pool, days: first ? [first] : [], format: 'csv' });
        const local = await openLocalQuery({ lake, scratchDir: await tempDir('scratch') });
        try {
          const result = await local.query('SELECT count(*) AS n FROM daily_engagement');
          const total = golden.days.reduce((n, day) => n + lineCount(golden.engagementCsv(day)), 0);
          expect(result.rows).toEqual([[total]]);
          if (first)
            expect(await dayAsCsv(local, 'daily_engagement', first)).toBe(golden.engagementCsv(first));
        } finally {
          await local.close();
        }
      });
    });
  },
);

/** A lake that behaves like S3 for `materialize`: every call downloads into a new scratch folder. */
class DownloadingLake extends LocalLake {
  override readonly root = 's3://test-bucket/lake';
  readonly downloads: string[] = [];

  constructor(private readonly folder: string) {
    super(folder);
  }

  override async materialize(prefix: string, scratchDir: string): Promise<string> {
    await mkdir(scratchDir, { recursive: true });
    const target = await mkdtemp(join(scratchDir, 'materialized-'));
    const source = join(this.folder, prefix);
    if (existsSync(source)) await cp(source, target, { recursive: true });
    this.downloads.push(target);
    return target;
  }
}

describe('openLocalQuery', () => {
  it('answers with zero rows, in the right columns, on a lake without aggregates', async () => {
    const local = await openLocalQuery({
      lake: openLake(await tempDir('empty')),
      scratchDir: await tempDir('scratch'),
    });
    try {
      const sample = await local.query(SAMPLE_QUERY);
      expect(sample).toEqual({ columns: ['title', 'total_watch_hours', 'unique_viewers'], rows: [] });
      const filtered = await local.query(
        'SELECT * FROM daily_active_users WHERE year = 2025 AND month = 3 AND day = 14',
      );
      expect(filtered.rows).toEqual([]);
      for (const view of DASHBOARD_VIEWS)
        expect((await local.query(`SELECT * FROM ${view.name}`)).rows).toEqual([]);
    } finally {
      await local.close();
    }
  });

  it('queries a downloaded copy of a remote lake and removes the copy on close', async () => {
    const [golden] = goldenCases();
    if (!golden) throw new Error('no golden case');
    const folder = await csvAggregateLake(golden);
    temps.push(folder);
    const lake = new DownloadingLake(folder);
    const scratchDir = await tempDir('scratch');
    const local = await openLocalQuery({ lake, scratchDir });
    const result = await local.query('SELECT count(*) FROM daily_active_users');
    expect(result.rows[0]?.[0]).toBeGreaterThan(0);
    expect(lake.downloads).toHaveLength(2);
    await local.close();
    expect(await readdir(scratchDir)).toEqual([]);
  });

  it("reports a bad query as a LocalQueryError with DuckDB's whole message", async () => {
    const local = await openLocalQuery({
      lake: openLake(await tempDir('empty')),
      scratchDir: await tempDir('scratch'),
    });
    try {
      const failure = local.query('SELECT nope FROM daily_engagement');
      await expect(failure).rejects.toBeInstanceOf(LocalQueryError);
      const error = (await failure.catch((e: unknown) => e)) as LocalQueryError;
      expect(error.code).toBe('sql_error');
      expect(error.message).toContain('nope');
      expect(error.message).toContain('Candidate bindings');
      expect(error.message).toContain('LINE 1:');
    } finally {
      await local.close();
    }
  });
});
