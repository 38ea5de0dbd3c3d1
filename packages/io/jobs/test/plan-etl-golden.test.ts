import { rmSync } from 'node:fs';
import { contractReportOf, goldenCases } from '@streampulse/golden';
import { openLake } from '@streampulse/lake';
import { pipelineSettingsSchema } from '@streampulse/schema';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import { dumpProcessedCsv } from '@streampulse/warehouse';
import { afterAll, describe, expect, it } from 'vitest';
import { runEtlJob, runPlanEtlJob } from '../src/index.js';
import { copyLake, quarantine, withoutErrors } from './engines.js';

afterAll(stopTestServer);

describe.each(goldenCases().map((c) => [`${c.origin}/${c.name}`, c] as const))(
  'the ETL on the compiled plan (DuckDB), golden case %s',
  (_, golden) => {
    it('leaves the expected table and report, and quarantines exactly what the default engine does', async () => {
      const settings = pipelineSettingsSchema.parse({
        sourceTimeZone: golden.settings.source_tz,
        reportingTimeZone: golden.settings.reporting_tz,
      });
      const planDb = await createTestDatabase('plan');
      const reference = await createTestDatabase('ref');
      const planLake = copyLake(golden.lakeDir);
      const referenceLake = copyLake(golden.lakeDir);
      try {
        const report = await runPlanEtlJob({
          lake: openLake(planLake),
          pool: planDb.pool,
          settings,
          env: {},
        });
        expect(contractReportOf(report)).toEqual(contractReportOf(golden.report));
        expect(await dumpProcessedCsv(planDb.pool)).toBe(golden.processedCsv);

        const expected = await runEtlJob({ lake: openLake(referenceLake), pool: reference.pool, settings });
        // Failed files fail with the plan's own message (DuckDB's), which names the file too.
        expect(withoutErrors(report)).toEqual(withoutErrors(expected));
        for (const file of report.files.filter((f) => f.status === 'failed'))
          expect(file.error).toContain(file.key.split('/').pop());
        expect(quarantine(planLake)).toEqual(quarantine(referenceLake));

        // A second run finds every file unchanged.
        const again = await runPlanEtlJob({ lake: openLake(planLake), pool: planDb.pool, settings, env: {} });
        expect(again.rows_loaded).toBe(0);
        expect(again.files.filter((f) => f.status === 'loaded')).toEqual([]);
        expect(await dumpProcessedCsv(planDb.pool)).toBe(golden.processedCsv);
      } finally {
        await planDb.drop();
        await reference.drop();
        rmSync(planLake, { recursive: true, force: true });
        rmSync(referenceLake, { recursive: true, force: true });
      }
    });
  },
);
