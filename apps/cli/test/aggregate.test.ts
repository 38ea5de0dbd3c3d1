import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCases, type GoldenCase } from '@streampulse/golden';
import { partitionPrefix } from '@streampulse/schema';
import { WarehouseError } from '@streampulse/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateCommand, aggregateHelp } from '../src/commands/aggregate.js';
import { UsageError } from '../src/io.js';
import { copyLake, goldenEtlArgs, runCli } from './support/cli.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { fakeIo } from './support/fake-io.js';

afterAll(stopTestServer);

const objectPath = (
  lake: string,
  table: 'daily_engagement' | 'daily_active_users',
  day: string,
  ext: string,
) => join(lake, partitionPrefix(table, day), `part-0.${ext}`);

const dataLines = (csv: string): number => csv.split('\n').filter(Boolean).length - 1;

async function loadGolden(golden: GoldenCase, lake: string, url: string): Promise<void> {
  const run = await runCli(goldenEtlArgs(golden, lake, url));
  expect(run.code, run.stderr).not.toBe(1);
}

describe.each(goldenCases().map((c) => [`${c.origin}/${c.name}`, c] as const))(
  'streampulse aggregate on golden case %s',
  (_, golden) => {
    let db: TestDatabase;
    let lake: string;

    beforeAll(async () => {
      db = await createTestDatabase();
      lake = copyLake(golden.lakeDir);
      await loadGolden(golden, lake, db.url);
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('aggregates every pending day as Parquet, printing one JSON report, and then has nothing pending', async () => {
      const first = fakeIo();
      expect(
        await aggregateCommand(['--lake', lake, '--pending', '--database-url', db.url, '--json'], first.io),
      ).toBe(0);
      const report = JSON.parse(first.stdout());
      expect(first.stdout().trim().split('\n')).toHaveLength(1);
      expect(report.format).toBe('parquet');
      expect(report.days.map((d: { day: string }) => d.day)).toEqual(golden.days);
      for (const day of golden.days) {
        expect(existsSync(objectPath(lake, 'daily_engagement', day, 'parquet')), day).toBe(true);
        expect(existsSync(objectPath(lake, 'daily_active_users', day, 'parquet')), day).toBe(true);
      }

      const again = fakeIo();
      expect(await aggregateCommand(['--lake', lake, '--pending', '--database-url', db.url], again.io)).toBe(
        0,
      );
      expect(again.stdout()).toMatch(
        /^database: postgres:\/\/postgres:\*\*\*@[^\n]+\nnothing to aggregate: no day changed since it was last aggregated\n$/,
      );
    });

    it('writes a --from/--to range as CSV equal to the expected files, and nothing for days without rows', async () => {
      const from = golden.days.at(-2) ?? (golden.days[0] as string);
      const to = golden.days.at(-1) as string;
      const run = fakeIo();
      const args = [
        '--lake',
        lake,
        '--from',
        from,
        '--to',
        to,
        '--format',
        'csv',
        '--database-url',
        db.url,
        '--json',
      ];
      expect(await aggregateCommand(args, run.io)).toBe(0);
      const report = JSON.parse(run.stdout()) as { days: { day: string; objects: string[] }[] };
      expect(report.days[0]?.day).toBe(from);
      expect(report.days.at(-1)?.day).toBe(to);
      for (const { day, objects } of report.days) {
        if (golden.days.includes(day)) {
          expect(objects).toHaveLength(2);
          expect(readFileSync(objectPath(lake, 'daily_engagement', day, 'csv'), 'utf8')).toBe(
            golden.engagementCsv(day),
          );
          expect(readFileSync(objectPath(lake, 'daily_active_users', day, 'csv'), 'utf8')).toBe(
            golden.activeUsersCsv(day),
          );
          expect(existsSync(objectPath(lake, 'daily_engagement', day, 'parquet'))).toBe(false);
        } else {
          expect(objects).toEqual([]);
          expect(existsSync(join(lake, partitionPrefix('daily_engagement', day)))).toBe(false);
        }
      }
    });

    it('summarizes a --date run for people', async () => {
      const day = golden.days[0] as string;
      const run = fakeIo();
      expect(await aggregateCommand(['--lake', lake, '--date', day, '--database-url', db.url], run.io)).toBe(
        0,
      );
      const rows = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`;
      expect(run.stdout()).toContain('aggregated 1 day as parquet:');
      expect(run.stdout()).toContain(
        `  ${day}  daily_engagement ${rows(dataLines(golden.engagementCsv(day)))}, ` +
          `daily_active_users ${rows(dataLines(golden.activeUsersCsv(day)))}`,
      );
      expect(run.stderr()).toBe('');
    });
  },
);

describe('streampulse aggregate options', () => {
  it('prints its help', async () => {
    const run = fakeIo();
    expect(await aggregateCommand(['--help'], run.io)).toBe(0);
    expect(run.stdout()).toBe(aggregateHelp);
  });

  it.each([
    [['--lake', '/tmp'], /exactly one of --date, --from\/--to or --pending/],
    [['--lake', '/tmp', '--date', '2025-03-14', '--pending'], /exactly one of/],
    [['--lake', '/tmp', '--from', '2025-03-14'], /--to is required/],
    [
      ['--lake', '/tmp', '--from', '2025-03-14', '--to', '2025-03-13'],
      /--to 2025-03-13 is before --from 2025-03-14/,
    ],
    [['--lake', '/tmp', '--date', '2025-02-30'], /--date must be a date as YYYY-MM-DD, got "2025-02-30"/],
    [['--lake', '/tmp', '--pending', '--format', 'orc'], /--format must be parquet or csv, got "orc"/],
    [['--pending'], /--lake is required/],
    [['--lake', '/tmp', '--pending', '--dry-run'], /dry-run/],
  ])('refuses %j, naming the option', async (args, message) => {
    const run = fakeIo();
    const failure = aggregateCommand(args, run.io);
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(message);
  });

  it('lets a database it cannot reach fail as a WarehouseError, for main to print as one line', async () => {
    const run = fakeIo();
    const args = ['--lake', '/tmp', '--pending', '--database-url', 'postgres://postgres@127.0.0.1:1/none'];
    await expect(aggregateCommand(args, run.io)).rejects.toBeInstanceOf(WarehouseError);
  });
});
