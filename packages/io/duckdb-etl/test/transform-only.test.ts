import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { goldenCases } from '@streampulse/golden';
import { runEtlJob } from '@streampulse/jobs';
import { openLake } from '@streampulse/lake';
import { LAKE_LAYOUT, pipelineSettingsSchema } from '@streampulse/schema';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import { afterAll, describe, expect, it } from 'vitest';
import { runDuckdbTransform } from '../src/index.js';
import { filesUnder } from './engines.js';

afterAll(stopTestServer);

/** Every file of a lake, relative to its root, sorted. */
function lakeFiles(root: string): string[] {
  return filesUnder(root)
    .map((path) => relative(root, path))
    .sort();
}

describe('runDuckdbTransform', () => {
  it.each(goldenCases().map((c) => [`${c.origin}/${c.name}`, c] as const))(
    'counts what the ETL would read, reject and fail on golden case %s, and writes nothing to the lake',
    async (_, golden) => {
      const settings = pipelineSettingsSchema.parse({
        sourceTimeZone: golden.settings.source_tz,
        reportingTimeZone: golden.settings.reporting_tz,
      });
      const lakeDir = mkdtempSync(join(tmpdir(), 'streampulse-duckdb-transform-'));
      const referenceLake = mkdtempSync(join(tmpdir(), 'streampulse-duckdb-transform-ref-'));
      cpSync(golden.lakeDir, lakeDir, { recursive: true });
      cpSync(golden.lakeDir, referenceLake, { recursive: true });
      const before = lakeFiles(lakeDir);
      const db = await createTestDatabase('transform-only');
      try {
        const summary = await runDuckdbTransform({ lake: openLake(lakeDir), settings });
        const expected = await runEtlJob({ lake: openLake(referenceLake), pool: db.pool, settings });
        expect(summary).toEqual({
          files_read: expected.files.filter((f) => f.status === 'loaded').length,
          files_failed: expected.files_failed,
          rows_read: expected.rows_read,
          rows_valid: expected.rows_read - expected.rows_rejected,
          rows_rejected: expected.rows_rejected,
        });
        expect(lakeFiles(lakeDir)).toEqual(before);
        expect(existsSync(join(lakeDir, LAKE_LAYOUT.rejectedPlayback))).toBe(
          existsSync(join(golden.lakeDir, LAKE_LAYOUT.rejectedPlayback)),
        );
      } finally {
        await db.drop();
        rmSync(lakeDir, { recursive: true, force: true });
        rmSync(referenceLake, { recursive: true, force: true });
      }
    },
  );
});
