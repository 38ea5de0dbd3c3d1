// Rows per second of the DuckDB engine against the default engine on one generated lake.
// A script to run and report, not a test:
//   DATABASE_URL=postgres://... npx tsx --conditions=development packages/io/duckdb-etl/bench/rows-per-second.ts [sessions] [lakeDir]
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEtlJob } from '@streampulse/jobs';
import { openLake } from '@streampulse/lake';
import { pipelineSettingsSchema } from '@streampulse/schema';
import { createTestDatabase } from '@streampulse/test-servers';
import { generateLake } from '@streampulse/tools/generate';
import { dumpProcessedCsv } from '@streampulse/warehouse';
import { runDuckdbEtl } from '../src/index.js';

const sessions = Number(process.argv[2] ?? 1_000_000);
const lakeDir = process.argv[3] ?? join(tmpdir(), `streampulse-bench-lake-${sessions}`);

if (!existsSync(join(lakeDir, 'raw'))) {
  const started = performance.now();
  const summary = await generateLake({ outDir: lakeDir, sessions, dirtyRate: 0.02 });
  console.error(
    `generated ${summary.sessions} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

const settings = pipelineSettingsSchema.parse({});
const results: Record<string, unknown>[] = [];
const tables: string[] = [];
for (const [engine, run] of [
  ['duckdb', runDuckdbEtl],
  ['default', runEtlJob],
] as const) {
  const db = await createTestDatabase(`bench-${engine}`);
  try {
    const started = performance.now();
    const report = await run({ lake: openLake(lakeDir), pool: db.pool, settings });
    const seconds = (performance.now() - started) / 1000;
    results.push({
      engine,
      seconds: Number(seconds.toFixed(1)),
      rows_read: report.rows_read,
      rows_loaded: report.rows_loaded,
      rows_rejected: report.rows_rejected,
      rows_per_second: Math.round(report.rows_read / seconds),
    });
    tables.push(await dumpProcessedCsv(db.pool));
  } finally {
    await db.drop();
  }
}
console.log(JSON.stringify({ sessions, lakeDir, results, same_table: tables[0] === tables[1] }, null, 2));
process.exit(0);
