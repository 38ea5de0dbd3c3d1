import { contractReportOf, goldenCases } from '@streampulse/golden';
import { LAKE_LAYOUT } from '@streampulse/schema';
import { dumpProcessedCsv } from '@streampulse/warehouse';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyLake, goldenEtlArgs, parseCsvLine, runCli } from './support/cli.js';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';

afterAll(stopTestServer);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function quarantineLines(
  lakeDir: string,
): { source: string; row: number; reason: string; record: unknown }[] {
  let files: string[] = [];
  try {
    files = walk(join(lakeDir, LAKE_LAYOUT.rejectedPlayback));
  } catch {
    return [];
  }
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  );
}

function playbackKeys(lakeDir: string): string[] {
  return walk(join(lakeDir, LAKE_LAYOUT.playback))
    .map((path) => relative(lakeDir, path).split(sep).join('/'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

describe.each(goldenCases().map((c) => [`${c.origin}/${c.name}`, c] as const))(
  'streampulse etl on golden case %s',
  (_, golden) => {
    it('loads the expected table, reports and quarantines exactly what the contract says', async () => {
      const db = await createTestDatabase();
      try {
        const lake = copyLake(golden.lakeDir);
        const run = await runCli(goldenEtlArgs(golden, lake, db.url));
        expect(run.stderr).toBe('');
        expect(run.code).toBe(golden.report.files_failed.length > 0 ? 2 : 0);
        const report = JSON.parse(run.stdout);
        expect(contractReportOf(report)).toEqual(contractReportOf(golden.report));
        expect(await dumpProcessedCsv(db.pool)).toBe(golden.processedCsv);

        const quarantine = quarantineLines(lake);
        expect(quarantine).toHaveLength(golden.report.rows_rejected);
        const byReason: Record<string, number> = {};
        for (const line of quarantine) byReason[line.reason] = (byReason[line.reason] ?? 0) + 1;
        expect(byReason).toEqual(golden.report.rejected_by_reason);
        for (const line of quarantine) {
          expect(line.source.startsWith(LAKE_LAYOUT.playback)).toBe(true);
          expect(line.row).toBeGreaterThan(0);
          expect(line.record).toBeDefined();
          expect(golden.report.files_failed).not.toContain(line.source);
        }

        // A second run finds every file unchanged and leaves the same table.
        const again = await runCli(goldenEtlArgs(golden, lake, db.url));
        const second = JSON.parse(again.stdout);
        expect(second.rows_loaded).toBe(0);
        expect(second.files.filter((f: { status: string }) => f.status === 'loaded')).toEqual([]);
        expect(await dumpProcessedCsv(db.pool)).toBe(golden.processedCsv);
        expect(quarantineLines(lake)).toHaveLength(golden.report.rows_rejected);
      } finally {
        await db.drop();
      }
    });

    it('leaves the same table when the files are taken one by one in reverse key order, but for end_time ties', async () => {
      const db = await createTestDatabase();
      try {
        const lake = copyLake(golden.lakeDir);
        for (const key of playbackKeys(lake).reverse()) {
          const run = await runCli([...goldenEtlArgs(golden, lake, db.url), '--input', key]);
          expect(run.code, run.stderr).not.toBe(1);
        }
        const expected = golden.processedCsv.split('\n');
        const actual = (await dumpProcessedCsv(db.pool)).split('\n');
        expect(actual).toHaveLength(expected.length);
        // Rows that tie on end_time keep the row processed first, so reversing the order may pick
        // the other one: the contract allows exactly those rows to differ, and nothing else.
        const differing = actual.filter((line, i) => line !== expected[i]);
        for (const line of differing) {
          const [session, , , , , , , , endTime] = parseCsvLine(line);
          const original = expected.find((e) => parseCsvLine(e)[0] === session) ?? '';
          expect(endTime, `end_time of ${session}`).toBe(parseCsvLine(original)[8]);
        }
      } finally {
        await db.drop();
      }
    });
  },
);
