// The pipeline benchmark: generates N sessions (cached between runs), then times each stage
// (decode, transform, the whole ETL process, aggregation) with rows/s and peak memory, next to
// PostgreSQL's own COPY of the resulting rows. Prints a table and a JSON line. A measuring tool,
// not a test: run it on a quiet machine.
//
//   npm run bench -- [--sessions 1000000] [--database-url URL] [--engine default|duckdb|both] [--rounds 3] [--json]
//
// The default engine by default; `duckdb` times the compiled job plan (one DuckDB plan run per
// file, far slower). With both engines it also compares what they leave: full dumps of the two
// tables, and the two reports (failed files' messages aside: each engine words its own).
import { decodeFile, classifyKey } from '@streampulse/formats';
import { openLake } from '@streampulse/lake';
import { LAKE_LAYOUT, DEFAULT_SETTINGS, WAREHOUSE_TABLES } from '@streampulse/schema';
import { compileAggregateSql, POSTGRES } from '@streampulse/contract-sql';
import { runAggregateJob, lakeSourceFile } from '@streampulse/jobs';
import {
  buildDimension,
  contentDimension,
  PlaybackFileTransform,
  playbackRules,
  userDimension,
  type RunReport,
} from '@streampulse/transform';
import { resolveDatabase } from '@streampulse/embedded-postgres';
import { connectWarehouse, dumpProcessedCsv } from '@streampulse/warehouse';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benchDirOf, benchLake } from './bench-lake.js';
import { megabytes, ownPeakRss, peakRssOf, rowsPerSecond } from './measure.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000000' },
    'database-url': { type: 'string' },
    engine: { type: 'string', default: 'default' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'Usage: npm run bench -- [--sessions 1000000] [--database-url URL] [--engine default|duckdb|both] [--rounds 3] [--json]',
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
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`--rounds must be a whole number of at least 1, got ${JSON.stringify(values.rounds)}`);
  process.exit(64);
}
const repoRoot = resolve(import.meta.dirname, '../../..');
const benchDir = benchDirOf(repoRoot, sessions);
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
const lakeDir = await benchLake(repoRoot, sessions, log);
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
const etlSeconds: Partial<Record<'default' | 'duckdb', number[]>> = {};
const copySeconds: number[] = [];
const reports: Partial<Record<'default' | 'duckdb', RunReport>> = {};
const dumps: Partial<Record<'default' | 'duckdb', string>> = {};
const lastUrls: Partial<Record<'default' | 'duckdb', URL>> = {};
const benchDbs = new Set<string>();
const csvPath = join(benchDir, 'processed.csv');
/** The 1-minute load average, next to every timed figure: the machine is shared. */
const load = (): string => `load ${loadavg()[0]?.toFixed(2) ?? '?'}`;

/** An empty warehouse for one ETL run. */
async function freshWarehouse(engine: 'default' | 'duckdb'): Promise<URL> {
  const url = new URL(database.url);
  if (values['database-url'] && engines.length === 1) {
    // A database of one's own on a shared server: the run empties its warehouse instead of
    // creating a database beside it.
    await admin.query(`DROP SCHEMA IF EXISTS ${WAREHOUSE_TABLES.schema} CASCADE`);
    return url;
  }
  const benchDb = `streampulse_bench_${process.pid}_${engine}`;
  benchDbs.add(benchDb);
  await admin.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${benchDb}`);
  url.pathname = `/${benchDb}`;
  return url;
}

/**
 * The baseline: PostgreSQL's own COPY (psql \copy) of the ETL's resulting rows into an empty
 * table of the same definition, primary key and index included, in the same database.
 */
async function timeCopy(url: URL): Promise<number> {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    if (!existsSync(csvPath)) {
      const dumped = spawnSync(
        'psql',
        [url.toString(), '-q', '-c', `\\copy ${WAREHOUSE_TABLES.processed} TO '${csvPath}' CSV`],
        { stdio: 'inherit' },
      );
      if (dumped.status !== 0) throw new Error('psql could not dump the processed rows');
    }
    const baseline = `${WAREHOUSE_TABLES.schema}.copy_baseline`;
    await client.query(`DROP TABLE IF EXISTS ${baseline}`);
    await client.query(`CREATE TABLE ${baseline} (LIKE ${WAREHOUSE_TABLES.processed} INCLUDING ALL)`);
    await client.query('CHECKPOINT');
    log(`timing psql \\copy baseline (${load()})`);
    const copy = await timeChild('psql', [
      url.toString(),
      '-q',
      '-c',
      `\\copy ${baseline} FROM '${csvPath}' CSV`,
    ]);
    await client.query(`DROP TABLE ${baseline}`);
    return copy.seconds;
  } finally {
    await client.end();
  }
}

// ETL and COPY alternate, round by round, so both see the same moment of a shared machine.
rmSync(csvPath, { force: true });
for (const engine of engines) {
  for (let round = 1; round <= rounds; round++) {
    const url = await freshWarehouse(engine);
    lastUrls[engine] = url;
    // Both timed writes start from a checkpointed database: neither pays for the other's writes.
    await admin.query('CHECKPOINT');
    const before = load();
    log(`timing streampulse etl --engine ${engine} (child process), round ${round} (${before})`);
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
    (etlSeconds[engine] ??= []).push(etl.seconds);
    record(
      `etl (whole process, ${engine} engine) #${round}`,
      etl.seconds,
      report.rows_read,
      etl.peakRss,
      `${report.rows_loaded} loaded (${report.rows_inserted} inserted, ${report.rows_replaced} replaced), ${report.rows_rejected} rejected; ${before}`,
    );
    if (engine === engines[0]) {
      const beforeCopy = load();
      const seconds = await timeCopy(url);
      copySeconds.push(seconds);
      record(
        `baseline: psql \\copy #${round}`,
        seconds,
        report.rows_loaded,
        null,
        `same rows, empty table with primary key; ${beforeCopy}`,
      );
    }
  }
  if (engines.length > 1) {
    const enginePool = await connectWarehouse((lastUrls[engine] as URL).toString());
    dumps[engine] = createHash('sha256')
      .update(await dumpProcessedCsv(enginePool))
      .digest('hex');
    await enginePool.end();
  }
}
const firstUrl = lastUrls[engines[0]] as URL;
const firstReport = reports[engines[0]] as RunReport;

// 4. Aggregation of every day into the lake as Parquet, alternating with PostgreSQL running the
// aggregation's own GROUP BY and GROUPING SETS queries over the same table and days (results
// fetched and dropped): what the job adds over the database's own grouping.
const pool = await connectWarehouse(firstUrl.toString());
const aggregateSeconds: number[] = [];
const groupBySeconds: number[] = [];
const groupBySql = compileAggregateSql(POSTGRES, {
  source: WAREHOUSE_TABLES.processed,
  day: { parameter: '$1::date' },
});
for (let round = 1; round <= rounds; round++) {
  await pool.query(`UPDATE ${WAREHOUSE_TABLES.dayChanges} SET aggregated_at = NULL`);
  const before = load();
  log(`timing aggregation, round ${round} (${before})`);
  const started = performance.now();
  const aggregated = await runAggregateJob({ lake, pool, days: 'pending', format: 'parquet' });
  const seconds = (performance.now() - started) / 1000;
  aggregateSeconds.push(seconds);
  record(
    `aggregate (all days, parquet) #${round}`,
    seconds,
    firstReport.rows_loaded,
    null,
    `${aggregated.days.length} days; ${before}`,
  );
  const beforeGroupBy = load();
  log(`timing PostgreSQL GROUP BY / GROUPING SETS, round ${round} (${beforeGroupBy})`);
  const groupStarted = performance.now();
  for (const { day } of aggregated.days) {
    await pool.query(groupBySql.engagement, [day]);
    await pool.query(groupBySql.activeUsers, [day]);
  }
  const groupSeconds = (performance.now() - groupStarted) / 1000;
  groupBySeconds.push(groupSeconds);
  record(
    `baseline: PostgreSQL GROUP BY (GROUPING SETS) #${round}`,
    groupSeconds,
    firstReport.rows_loaded,
    null,
    `the aggregation's two queries, ${aggregated.days.length} days; ${beforeGroupBy}`,
  );
}
await pool.end();
for (const benchDb of benchDbs) await admin.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
await admin.end();
await database.close();

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const ratioOf = (xs: number[], ys: number[]): number[] =>
  xs.map((x, i) => Number((x / (ys[i] as number)).toFixed(2)));
const etlRatios = Object.fromEntries(
  engines.map((engine) => [engine, ratioOf(etlSeconds[engine] ?? [], copySeconds)]),
);
const ratios = Object.fromEntries(
  engines.map((engine) => [engine, Number(median(etlRatios[engine] ?? []).toFixed(2))]),
);
const aggregateRatios = ratioOf(aggregateSeconds, groupBySeconds);
const aggregateRatio = Number(median(aggregateRatios).toFixed(2));
const etlPeakRss = Math.max(
  ...stages.filter((st) => st.stage.startsWith('etl')).map((st) => st.peak_rss_mb ?? 0),
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
  etl_over_copy_ratios_by_round: etlRatios,
  etl_seconds_median: Object.fromEntries(
    engines.map((engine) => [engine, Number(median(etlSeconds[engine] ?? []).toFixed(2))]),
  ),
  etl_peak_rss_mb: etlPeakRss,
  aggregate_over_group_by_ratio: aggregateRatio,
  aggregate_over_group_by_ratios_by_round: aggregateRatios,
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
    const byRound = (etlRatios[engine] ?? []).join(', ');
    console.log(
      `\nETL / COPY ratio, ${engine} engine: median ${ratios[engine]} of ${byRound} (goal <= 1.5, aim 1.2)`,
    );
  }
  console.log(
    `aggregation / PostgreSQL GROUP BY ratio: median ${aggregateRatio} of ${aggregateRatios.join(', ')}`,
  );
  console.log(`ETL peak RSS: ${etlPeakRss} MB`);
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
