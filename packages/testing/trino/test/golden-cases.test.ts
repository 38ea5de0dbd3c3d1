import { cp } from 'node:fs/promises';
import { goldenCases } from '@streampulse/golden';
import { runAggregateJob, runEtlJob } from '@streampulse/jobs';
import { openLake } from '@streampulse/lake';
import { pipelineSettingsSchema } from '@streampulse/schema';
import { describeAthenaSqlOnTrino } from './support/athena-suite.js';

// Every golden case: its lake through the ETL job into PostgreSQL, every expected day through
// the aggregation job as Parquet; the backfill must write the case's expected aggregate files.
for (const golden of goldenCases()) {
  describeAthenaSqlOnTrino(`golden case ${golden.origin}/${golden.name}`, {
    name: `${golden.origin}-${golden.name}`,
    async prepare(lakeDir, db) {
      await cp(golden.lakeDir, lakeDir, { recursive: true });
      const lake = openLake(lakeDir);
      const settings = pipelineSettingsSchema.parse({
        sourceTimeZone: golden.settings.source_tz,
        reportingTimeZone: golden.settings.reporting_tz,
      });
      await runEtlJob({ lake, pool: db.pool, settings });
      await runAggregateJob({ lake, pool: db.pool, days: golden.days, format: 'parquet' });
      return {
        days: golden.days,
        processedCsv: golden.processedCsv,
        expected: async (table, day) =>
          table === 'daily_engagement' ? golden.engagementCsv(day) : golden.activeUsersCsv(day),
      };
    },
  });
}
