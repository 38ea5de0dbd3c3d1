import { rmSync } from 'node:fs';
import { contractReportOf, goldenCases } from '@streampulse/golden';
import { runEtlJob } from '@streampulse/jobs';
import { openLake } from '@streampulse/lake';
import { pipelineSettingsSchema } from '@streampulse/schema';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import { dumpProcessedCsv } from '@streampulse/warehouse';
import { afterAll, describe, expect, it } from 'vitest';
import { runDuckdbEtl } from '../src/index.js';
import { copyLake, quarantine } from './engines.js';

afterAll(stopTestServer);

describe.each(goldenCases().map((c) => [`${c.origin}/${c.name}`, c] as const))(
  'the DuckDB engine on golden case %s',
  (_, golden) => {
    it('leaves the expected table and reports, and quarantines exactly what the default engine does', async () => {
      const settings = pipelineSettingsSchema.parse({
        sourceTimeZone: golden.settings.source_tz,
        reportingTimeZone: golden.settings.reporting_tz,
      });
      const duck = await createTestDatabase('duck');
      const reference = await createTestDatabase('ref');
      const duckLake = copyLake(golden.lakeDir);
      const referenceLake = copyLake(golden.lakeDir);
      try {
        const report = await runDuckdbEtl({ lake: openLake(duckLake), pool: duck.pool, settings });
        expect(contractReportOf(report)).toEqual(contractReportOf(golden.report));
        expect(await dumpProcessedCsv(duck.pool)).toBe(golden.processedCsv);

        const expected = await runEtlJob({ lake: openLake(referenceLake), pool: reference.pool, settings });
        expect(report).toEqual(expected);
        expect(quarantine(duckLake)).toEqual(quarantine(referenceLake));

        // A second run finds every file unchanged.
        const again = await runDuckdbEtl({ lake: openLake(duckLake), pool: duck.pool, settings });
        expect(again.rows_loaded).toBe(0);
        expect(again.files.filter((f) => f.status === 'loaded')).toEqual([]);
        expect(await dumpProcessedCsv(duck.pool)).toBe(golden.processedCsv);
      } finally {
        await duck.drop();
        await reference.drop();
        rmSync(duckLake, { recursive: true, force: true });
        rmSync(referenceLake, { recursive: true, force: true });
      }
    });
  },
);
