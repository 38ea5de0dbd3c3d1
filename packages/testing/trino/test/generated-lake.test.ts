import { join } from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { runAggregateJob, runEtlJob } from '@streampulse/jobs';
import { openLake } from '@streampulse/lake';
import { aggregateParquetCsv } from '@streampulse/local-query';
import { DEFAULT_SETTINGS, partitionPrefix } from '@streampulse/schema';
import { generateLake } from '@streampulse/generator';
import { dumpProcessedCsv } from '@streampulse/warehouse';
import { describeAthenaSqlOnTrino } from './support/athena-suite.js';

// The golden cases are small: a generated fortnight of a thousand users (with dirty rows and the
// generator's tricky titles) gives the views sums over many rows and many titles with equal watch
// hours. The backfill must write what the aggregation job wrote, day by day.
describeAthenaSqlOnTrino('a generated fortnight', {
  name: 'generated',
  async prepare(lakeDir, db) {
    await generateLake({ outDir: lakeDir, days: 14, users: 1000, dirtyRate: 0.02, seed: 15 });
    const lake = openLake(lakeDir);
    await runEtlJob({ lake, pool: db.pool, settings: DEFAULT_SETTINGS });
    const report = await runAggregateJob({ lake, pool: db.pool, days: 'pending', format: 'parquet' });
    return {
      days: report.days.map((d) => d.day),
      processedCsv: await dumpProcessedCsv(db.pool),
      async expected(table, day) {
        const folder = join(lakeDir, partitionPrefix(table, day));
        const files = await Promise.all((await readdir(folder)).map((f) => readFile(join(folder, f))));
        return aggregateParquetCsv(files, table);
      },
    };
  },
});
