// The pipeline benchmark: generates N sessions (cached between runs), then times each stage
// (decode, transform, the whole ETL process, aggregation) with rows/s and peak memory, next to
// PostgreSQL's own COPY of the resulting rows. Prints a table and a JSON line. A measuring tool,
// not a test: run it on a quiet machine.
//
//   npm run bench -- [--sessions 1000000] [--database-url URL] [--engine default|duckdb|both] [--json]
//
// The default engine by default; `duckdb` times the compiled job plan (one DuckDB plan run per
// file, far slower). With both engines it also compares what they leave: full dumps of the two
// tables, and the two reports (failed files' messages aside: each engine words its own).
import { decodeFile, classifyKey } from '@streampulse/formats';
import { openLake } from '@streampulse/lake';
import { LAKE_LAYOUT, DEFAULT_SETTINGS, WAREHOUSE_TABLES } from '@streampulse/schema';
import { runAggregateJob, lakeSourceFile } from '@streampulse/jobs';
import {
  buildDimension,
  contentDimension,
  PlaybackFileTransform,
  playbackRules,
  userDimension,
  type RunReport,
} from '@streampulse/transform';
import { connectWarehouse, dumpProcessedCsv, resolveDatabase } from '@streampulse/warehouse';
import { generateLake } from '@streampulse/tools/generate';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { megabytes, ownPeakRss, peakRssOf, rowsPerSecond } from './measure.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000000' },
    'database-url': { type: 'string' },
    engine: { type: 'string', default: 'default' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'Usage: npm run bench -- [--sessions 1000000] [--database-url URL] [--engine default|duckdb|both] [--json]',
  );
  process.exit(0);
}
if (!['both', 'default', 'duckdb'].includes(values.engine)) {
  console.error(`--engine must be both, default or duckdb, got ${JSON.stringify(values.engine)}`);
  process.exit(64);
}
const engines =
  values.engine === 'both' ? (['default', 'duckdb'] as const) : [values.engine as 'default' | 'duckdb'];
const sessions = Number(values.sessions);
const repoRoot = resolve(import.meta.dirname, '../../..');
const benchDir = join(repoRoot, '.streampulse', 'bench', String(sessions));
const lakeDir = join(benchDir, 'lake');
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Stage {
  stage: string;
  seconds: number;
  rows: number;
  rows_per_s: number;
  peak_rss_mb: number | null;
  note: string;
}
const stages: Stage[] = [];
function record(stage: string, seconds: number, rows: number, peakRss: number | null, note = ''): void {
  stages.push({
    stage,
    seconds: Number(seconds.toFixed(2)),
    rows,
    rows_per_s: rowsPerSecond(rows, seconds),
    peak_rss_mb: peakRss === null ? null : Math.round(peakRss / 1024 / 1024),
    note,
  });
}

// 1. The lake, generated once per size and kept under .streampulse/bench/ (git-ignored).
if (!existsSync(join(lakeDir, 'raw', 'playback'))) {
  log(`generating ${sessions} sessions into ${lakeDir} (cached for later runs)`);
  rmSync(benchDir, { recursive: true, force: true });
  mkdirSync(benchDir, { recursive: true });
  await generateLake({
    outDir: lakeDir,
    sessions,
    days: 30,
    users: Math.max(3000, Math.round(sessions / 60)),
    dirtyRate: 0.02,
    seed: 7,
  });
}
const lake = openLake(lakeDir);
const playbackKeys: string[] = [];
for await (const object of lake.list(LAKE_LAYOUT.playback)) playbackKeys.push(object.key);

// 2. Decode alone, then decode + transform, in this process.
const rules = playbackRules(DEFAULT_SETTINGS);
const content = (
  await buildDimension(
    await sourceFiles(LAKE_LAYOUT.contentMetadata),
    LAKE_LAYOUT.contentMetadata,
    contentDimension,
  )
).table;
const users = (
  await buildDimension(await sourceFiles(LAKE_LAYOUT.userProfiles), LAKE_LAYOUT.userProfiles, userDimension)
).table;
async function sourceFiles(prefix: string) {
  const files = [];
  for await (const object of lake.list(prefix)) files.push(lakeSourceFile(lake, object.key));
  return files;
}
async function passOverPlayback(transformToo: boolean): Promise<{ seconds: number; rows: number }> {
  const started = performance.now();
  let rows = 0;
  for (const key of playbackKeys) {
    const kind = classifyKey(key, LAKE_LAYOUT.playback);
    if (kind.kind !== 'data') continue;
    const transform = new PlaybackFileTransform(key, rules, content, users, () => undefined);
    for await (const batch of decodeFile(lakeSourceFile(lake, key).open(), kind.type)) {
      rows += batch.length;
      if (transformToo) transform.batch(batch);
    }
  }
  return { seconds: (performance.now() - started) / 1000, rows };
}
if (engines.includes('default')) {
  log('timing decode');
  const decode = await passOverPlayback(false);
  record(
    'decode (default engine)',
    decode.seconds,
    decode.rows,
    null,
    'in process, all playback files, sequential',
  );
  log('timing decode + transform');
  const both = await passOverPlayback(true);
  record(
    'transform (default engine)',
    both.seconds - decode.seconds,
    both.rows,
    null,
    '(decode + transform) - decode',
  );
  record('decode + transform (default engine)', both.seconds, both.rows, null, 'in process');
}
// 3. The whole `streampulse etl` process over a fresh database, per engine.
const database = await resolveDatabase({
  ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
  env: process.env,
  embeddedDir: join(repoRoot, '.streampulse', 'postgres'),
});
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
const etlSeconds: Partial<Record<'default' | 'duckdb', number>> = {};
const reports: Partial<Record<'default' | 'duckdb', RunReport>> = {};
const dumps: Partial<Record<'default' | 'duckdb', string>> = {};
let benchUrl: URL | undefined;
const benchDbs: string[] = [];
for (const engine of engines) {
  const benchDb = `streampulse_bench_${process.pid}_${engine}`;
  benchDbs.push(benchDb);
  await admin.query(`DROP DATABASE IF EXISTS ${benchDb}`);
  await admin.query(`CREATE DATABASE ${benchDb}`);
  const url = new URL(database.url);
  url.pathname = `/${benchDb}`;
  benchUrl ??= url;
  log(`timing streampulse etl --engine ${engine} (child process)`);
  const etl = await timeChild(process.execPath, [
    join(repoRoot, 'apps/cli/bin/streampulse.js'),
    'etl',
    '--lake',
    lakeDir,
    '--database-url',
    url.toString(),
    '--json',
    '--engine',
    engine,
  ]);
  const report = JSON.parse(etl.stdout) as RunReport;
  reports[engine] = report;
  etlSeconds[engine] = etl.seconds;
  record(
    `etl (whole process, ${engine} engine)`,
    etl.seconds,
    report.rows_read,
    etl.peakRss,
    `${report.rows_loaded} loaded, ${report.rows_rejected} rejected`,
  );
  if (engines.length > 1) {
    const enginePool = await connectWarehouse(url.toString());
    dumps[engine] = createHash('sha256')
      .update(await dumpProcessedCsv(enginePool))
      .digest('hex');
    await enginePool.end();
  }
}
const firstUrl = benchUrl as URL;
const firstReport = reports[engines[0]] as RunReport;

// 4. Aggregation of every day into the lake as Parquet.
const pool = await connectWarehouse(firstUrl.toString());
log('timing aggregation');
const started = performance.now();
const aggregated = await runAggregateJob({ lake, pool, days: 'pending', format: 'parquet' });
record(
  'aggregate (all days, parquet)',
  (performance.now() - started) / 1000,
  firstReport.rows_loaded,
  null,
  `${aggregated.days.length} days`,
);

// 5. The baseline: PostgreSQL's own COPY (psql \copy) of the resulting rows into an empty table
// of the same definition, primary key included.
const csvPath = join(benchDir, 'processed.csv');
await pool.query(`DROP TABLE IF EXISTS processed.copy_baseline`);
await pool.query(
  `CREATE TABLE ${WAREHOUSE_TABLES.schema}.copy_baseline (LIKE ${WAREHOUSE_TABLES.processed} INCLUDING ALL)`,
);
spawnSync(
  'psql',
  [firstUrl.toString(), '-q', '-c', `\\copy ${WAREHOUSE_TABLES.processed} TO '${csvPath}' CSV`],
  {
    stdio: 'inherit',
  },
);
log('timing psql \\copy baseline');
const copy = await timeChild('psql', [
  firstUrl.toString(),
  '-q',
  '-c',
  `\\copy processed.copy_baseline FROM '${csvPath}' CSV`,
]);
record(
  'baseline: psql \\copy',
  copy.seconds,
  firstReport.rows_loaded,
  null,
  'same rows, empty table with primary key',
);
await pool.end();
for (const benchDb of benchDbs) await admin.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
await admin.end();
await database.close();

const ratios = Object.fromEntries(
  engines.map((engine) => [engine, Number(((etlSeconds[engine] ?? 0) / copy.seconds).toFixed(2))]),
);
// Both engines: the same table (full dumps compared) and the same report.
const sameTable = engines.length > 1 ? dumps.default === dumps.duckdb : null;
/** A report with its failed files' messages left out: each engine words its own. */
const comparable = (report: RunReport | undefined): string =>
  JSON.stringify(
    report && {
      ...report,
      files: report.files.map((f) => (f.status === 'failed' ? { ...f, error: '' } : f)),
    },
  );
const sameReport = engines.length > 1 ? comparable(reports.default) === comparable(reports.duckdb) : null;
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${megabytes(totalmem())}, node ${process.version}`;
const result = {
  sessions,
  machine,
  engines,
  stages,
  etl_over_copy_ratio: ratios,
  ...(sameTable === null ? {} : { same_table: sameTable, same_report: sameReport }),
  bench_process_peak_rss_mb: Math.round(ownPeakRss() / 1024 / 1024),
};

if (!values.json) {
  const header = ['stage', 'seconds', 'rows', 'rows/s', 'peak RSS', 'note'];
  const rows = stages.map((s) => [
    s.stage,
    s.seconds.toFixed(2),
    String(s.rows),
    s.rows_per_s.toLocaleString('en-US'),
    s.peak_rss_mb === null ? '' : `${s.peak_rss_mb} MB`,
    s.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(`\n${sessions.toLocaleString('en-US')} sessions on ${machine}`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  for (const engine of engines) {
    console.log(`\nETL / COPY ratio, ${engine} engine: ${ratios[engine]} (goal <= 3, moonshot 1.2)`);
  }
  if (sameTable !== null) console.log(`same table: ${sameTable}, same report: ${sameReport}`);
  console.log('');
}
console.log(JSON.stringify(result));
if (sameTable === false || sameReport === false) {
  console.error('the two engines differ: see same_table and same_report');
  process.exitCode = 1;
}

async function timeChild(
  command: string,
  args: string[],
): Promise<{ seconds: number; peakRss: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  let peakRss = 0;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const poll = setInterval(() => (peakRss = Math.max(peakRss, peakRssOf(child.pid ?? 0))), 50);
  const code = await new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
  clearInterval(poll);
  if (code !== 0 && code !== 2) throw new Error(`${command} exited with ${code}`);
  return { seconds: (performance.now() - started) / 1000, peakRss, stdout };
}
