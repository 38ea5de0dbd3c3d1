// The Glue jobs' compiled plans on a local Spark (Glue 5.0's 3.5.4, `local[2]`, installed by
// `npm run spark:setup`), over the benchmarks' lake: the ETL plan of every playback file, one run
// per file as the trigger starts them, then one aggregation run over every day. Prints a table
// and a JSON line with rows/s. A measuring tool, not a test; Glue scales out by workers, so these
// figures are a floor for one small machine, not a goal.
//
//   npm run bench:spark -- [--sessions 1000000] [--database-url URL] [--files N] [--submit] [--json]
//
// By default one resident JVM runs the plans (replaced every few runs, as the Spark test suite
// does), which times the plans themselves; `--submit` starts one `spark-submit` per run, as Glue
// starts a fresh driver per job run, which adds a JVM's start to every file.
import { planAggregateRun, planEtlRun } from '@streampulse/glue';
import { classifyKey, decodeFile } from '@streampulse/formats';
import { lakeSourceFile } from '@streampulse/jobs';
import { openLake } from '@streampulse/lake';
import { locateSpark, SparkPlanRunner } from '@streampulse/plan-runner';
import { GLUE_JOB_NAMES, GLUE_RUNNER_SCRIPT, LAKE_LAYOUT, WAREHOUSE_TABLES } from '@streampulse/schema';
import { SPARK } from '@streampulse/contract-sql';
import { resolveDatabase } from '@streampulse/embedded-postgres';
import { connectWarehouse, migrate } from '@streampulse/warehouse';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchLake } from './bench-lake.js';
import { megabytes, rowsPerSecond } from './measure.js';

const usage =
  'Usage: npm run bench:spark -- [--sessions 1000000] [--database-url URL] [--files N] [--submit] [--json]';
const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000000' },
    'database-url': { type: 'string' },
    files: { type: 'string' },
    submit: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const sessions = Number(values.sessions);
if (!Number.isInteger(sessions) || sessions < 1) {
  console.error(`--sessions must be a whole number, got ${JSON.stringify(values.sessions)}\n${usage}`);
  process.exit(64);
}
const fileLimit = values.files === undefined ? Infinity : Number(values.files);
if (!(fileLimit === Infinity || (Number.isInteger(fileLimit) && fileLimit >= 1))) {
  console.error(
    `--files must be a whole number of at least 1, got ${JSON.stringify(values.files)}\n${usage}`,
  );
  process.exit(64);
}

const repoRoot = resolve(import.meta.dirname, '../../..');
const log = (line: string) => process.stderr.write(`${line}\n`);
/** The 1-minute load average, next to every timed figure: the machine may be shared. */
const load = (): string => `load ${loadavg()[0]?.toFixed(2) ?? '?'}`;
const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const lakeDir = await benchLake(repoRoot, sessions, log);
const lake = openLake(lakeDir);
const playbackKeys: string[] = [];
for await (const object of lake.list(LAKE_LAYOUT.playback)) {
  if (classifyKey(object.key, LAKE_LAYOUT.playback).kind === 'data') playbackKeys.push(object.key);
}
const chosenKeys = playbackKeys.slice(0, fileLimit);

// Rows in, counted by the project's own decoder: what the ETL plan reads, good rows and bad.
log(`counting the rows of ${chosenKeys.length} playback files`);
let rowsIn = 0;
for (const key of chosenKeys) {
  const kind = classifyKey(key, LAKE_LAYOUT.playback);
  if (kind.kind !== 'data') continue;
  for await (const batch of decodeFile(lakeSourceFile(lake, key).open(), kind.type)) rowsIn += batch.length;
}

// A database of the bench's own, dropped at the end (or, given --database-url, its schema emptied).
const database = await resolveDatabase({
  ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
  env: process.env,
  embeddedDir: join(repoRoot, '.streampulse', 'postgres'),
});
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
const url = new URL(database.url);
const benchDb = values['database-url'] ? undefined : `streampulse_bench_spark_${process.pid}`;
if (benchDb) {
  await admin.query(`CREATE DATABASE ${benchDb}`);
  url.pathname = `/${benchDb}`;
} else {
  await admin.query(`DROP SCHEMA IF EXISTS ${WAREHOUSE_TABLES.schema} CASCADE`);
}
const pool = await connectWarehouse(url.toString());
await migrate(pool);

const runner = new SparkPlanRunner({
  spark: locateSpark(join(repoRoot, '.cache', 'spark')),
  runnerScript: join(repoRoot, 'apps', 'glue-launcher', 'glue', GLUE_RUNNER_SCRIPT),
  env: process.env,
  ...(values.submit ? {} : { resident: true }),
});
const mode = values.submit ? 'one spark-submit per run' : 'resident JVM';

interface Stage {
  stage: string;
  seconds: number;
  rows: number;
  rows_per_s: number;
  note: string;
}
const stages: Stage[] = [];
const record = (stage: string, seconds: number, rows: number, note: string): void => {
  stages.push({
    stage,
    seconds: Number(seconds.toFixed(2)),
    rows,
    rows_per_s: rowsPerSecond(rows, seconds),
    note,
  });
};

let rowsLoaded = 0;
const etlRunSeconds: number[] = [];
try {
  log(`Spark ETL plans, ${mode}: ${chosenKeys.length} runs (${load()})`);
  const etlLoad = load();
  const etlStarted = performance.now();
  for (const [index, inputKey] of chosenKeys.entries()) {
    const started = performance.now();
    const plan = await planEtlRun({ lake }, { jobName: GLUE_JOB_NAMES.etl, inputKey, dialect: SPARK });
    await runner.run(plan.planPath, url.toString());
    const seconds = (performance.now() - started) / 1000;
    etlRunSeconds.push(seconds);
    log(`  ${index + 1}/${chosenKeys.length} ${inputKey}: ${seconds.toFixed(1)} s`);
  }
  const etlSeconds = (performance.now() - etlStarted) / 1000;
  rowsLoaded = Number(
    (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${WAREHOUSE_TABLES.processed}`)).rows[0]?.n ??
      0,
  );
  record(
    'spark etl plans (all runs)',
    etlSeconds,
    rowsIn,
    `${chosenKeys.length} runs, ${mode}; ${rowsLoaded} rows in the table; ${etlLoad}`,
  );
  record(
    'spark etl plan (median run)',
    median(etlRunSeconds),
    Math.round(rowsIn / chosenKeys.length),
    'rows: the mean rows per file',
  );

  const { rows: dayRows } = await pool.query<{ first: string; last: string; days: number }>(
    `SELECT min(event_date)::text AS first, max(event_date)::text AS last,
            count(DISTINCT event_date)::int AS days FROM ${WAREHOUSE_TABLES.processed}`,
  );
  const span = dayRows[0];
  if (span?.first && span.last) {
    const lookbackDays = Math.round((Date.parse(span.last) - Date.parse(span.first)) / 86_400_000);
    const aggLoad = load();
    log(`Spark aggregation plan over ${span.first}..${span.last} (${aggLoad})`);
    const started = performance.now();
    const plan = await planAggregateRun(
      { lake },
      { jobName: GLUE_JOB_NAMES.aggregate, runDate: span.last, lookbackDays, dialect: SPARK },
    );
    await runner.run(plan.planPath, url.toString());
    record(
      'spark aggregation plan (every day)',
      (performance.now() - started) / 1000,
      rowsLoaded,
      `${span.days} days, one run, ${mode}; ${aggLoad}`,
    );
  }
} finally {
  await runner.close();
  await pool.end();
  if (benchDb) await admin.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
  await admin.end();
  await database.close();
}

const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${megabytes(totalmem())}, node ${process.version}`;
const result = {
  sessions,
  machine,
  engine: 'spark 3.5.4 local[2]',
  mode,
  files: chosenKeys.length,
  rows_in: rowsIn,
  rows_loaded: rowsLoaded,
  etl_run_seconds: etlRunSeconds.map((s) => Number(s.toFixed(2))),
  stages,
};
if (!values.json) {
  const header = ['stage', 'seconds', 'rows', 'rows/s', 'note'];
  const rows = stages.map((s) => [
    s.stage,
    s.seconds.toFixed(2),
    String(s.rows),
    s.rows_per_s.toLocaleString('en-US'),
    s.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(`\n${sessions.toLocaleString('en-US')} sessions on ${machine}, Spark ${mode}`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log('');
}
console.log(JSON.stringify(result));
