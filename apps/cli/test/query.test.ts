import { goldenCases } from '@streampulse/golden';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateCommand } from '../src/commands/aggregate.js';
import { queryCommand, queryHelp } from '../src/commands/query.js';
import { UsageError } from '../src/io.js';
import { copyLake, runCli } from './support/cli.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { fakeIo } from './support/fake-io.js';

/** The contract's sample query, exactly as written there. */
const SAMPLE_QUERY = `SELECT title, total_watch_hours, unique_viewers
FROM daily_engagement
ORDER BY total_watch_hours DESC
LIMIT 10;`;

const DASHBOARD_VIEWS = [
  'top_titles_by_watch_hours',
  'daily_unique_viewers',
  'watch_hours_by_device',
  'regional_engagement',
  'genre_performance',
  'daily_active_users_by_segment',
];

const golden = goldenCases().find((c) => c.name === 'basic') ?? goldenCases()[0];

describe('streampulse query', () => {
  let db: TestDatabase;
  let lake: string;

  beforeAll(async () => {
    if (!golden) throw new Error('no golden case to build a lake from');
    db = await createTestDatabase();
    lake = copyLake(golden.lakeDir);
    const etl = await runCli([
      'etl',
      '--lake',
      lake,
      '--database-url',
      db.url,
      '--source-tz',
      golden.settings.source_tz,
      '--reporting-tz',
      golden.settings.reporting_tz,
    ]);
    expect(etl.code, etl.stderr).not.toBe(1);
    expect(await aggregateCommand(['--lake', lake, '--pending', '--database-url', db.url], fakeIo().io)).toBe(
      0,
    );
  });
  afterAll(async () => {
    await db?.drop();
    await stopTestServer();
  });

  const query = async (...args: string[]) => {
    const run = fakeIo();
    const code = await queryCommand(['--lake', lake, ...args], run.io);
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  };

  it('runs the contract sample query as written, as an aligned table by default', async () => {
    const run = await query(SAMPLE_QUERY);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^title +\| total_watch_hours \| unique_viewers$/);
    expect(lines[1]).toMatch(/^-+\+-{19}\+-{15}$/);
    expect(lines).toHaveLength(2 + 10 + 1);
    expect(lines.at(-1)).toBe('(10 rows)');
    const bars = (line: string) => [...line.matchAll(/ \| /g)].map((m) => m.index);
    for (const line of lines.slice(2, -1)) expect(bars(line)).toEqual(bars(lines[0] as string));
  });

  it('prints a header and the rows only with --format csv', async () => {
    const run = await query('--format', 'csv', SAMPLE_QUERY);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('title,total_watch_hours,unique_viewers');
    expect(lines.slice(1, -1)).toHaveLength(10);
    const hours = lines.slice(1, -1).map((line) => Number(line.split(',').at(-2)));
    expect(hours).toEqual([...hours].sort((a, b) => b - a));
  });

  it('prints an array of objects with --format json', async () => {
    const run = await query('--format', 'json', SAMPLE_QUERY);
    const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['title', 'total_watch_hours', 'unique_viewers']);
      expect(typeof row.total_watch_hours).toBe('number');
      expect(typeof row.unique_viewers).toBe('number');
    }
  });

  it('filters one day with integer year, month and day', async () => {
    const day = golden?.days.at(-1) as string;
    const [year, month, dayOfMonth] = day.split('-').map(Number);
    const run = await query(
      '--format',
      'csv',
      `SELECT count(*) AS n FROM daily_engagement WHERE year = ${year} AND month = ${month} AND day = ${dayOfMonth}`,
    );
    const expected = (golden?.engagementCsv(day) ?? '').split('\n').filter(Boolean).length - 1;
    expect(run.stdout).toBe(`n\n${expected}\n`);
  });

  it.each(DASHBOARD_VIEWS.map((v) => [v]))('answers dashboard view %s with rows', async (view) => {
    const run = await query('--format', 'json', `SELECT * FROM ${view}`);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as unknown[]).length).toBeGreaterThan(0);
  });

  it("reports a SQL error with DuckDB's whole message, its hint included, exit 1 and nothing on stdout", async () => {
    const run = await query('SELECT titel FROM daily_engagement');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^streampulse query: [^\n]*titel/);
    expect(run.stderr).toContain('Candidate bindings: "title"');
    expect(run.stderr).toContain('LINE 1:');
  });

  it('refuses more than one statement and runs none of them', async () => {
    const run = await query('SELECT 1; SELECT 2');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('streampulse query: give one SQL statement at a time; this text holds 2\n');
  });

  it("runs Athena's date_format and approx_distinct as written for Athena", async () => {
    const run = await query(
      "SELECT date_format(event_date, '%Y-%m') AS month, approx_distinct(title) AS titles FROM daily_engagement GROUP BY 1",
      '--format',
      'json',
    );
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as { month: string; titles: number }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.month).toMatch(/^\d{4}-\d{2}$/);
      expect(Number(row.titles)).toBeGreaterThan(0);
    }
  });

  it('refuses a folder inside the lake, suggesting the lake root', async () => {
    await expect(queryCommand(['--lake', `${lake}/analytics`, 'SELECT 1'], fakeIo().io)).rejects.toThrow(
      /not a lake root: expected a folder with analytics\/ or raw\/ in it; did you mean --lake /,
    );
  });

  it('prints its help', async () => {
    const run = fakeIo();
    expect(await queryCommand(['--help'], run.io)).toBe(0);
    expect(run.stdout()).toBe(queryHelp);
  });

  it.each([
    [[], /exactly one SQL statement/],
    [['SELECT 1', 'SELECT 2'], /exactly one SQL statement/],
    [['--format', 'xml', 'SELECT 1'], /--format must be table, csv or json, got "xml"/],
  ])('refuses %j, naming what is wrong', async (args, message) => {
    await expect(queryCommand(['--lake', lake, ...args], fakeIo().io)).rejects.toThrow(message);
    await expect(queryCommand(['--lake', lake, ...args], fakeIo().io)).rejects.toBeInstanceOf(UsageError);
  });
});
