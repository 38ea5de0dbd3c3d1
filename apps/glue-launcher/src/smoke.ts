import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { classifyKey } from '@streampulse/formats';
import {
  csvCheck,
  lakeFolderKeys,
  readGoldenCase,
  type GoldenCase,
  type SmokeCheck,
} from '@streampulse/acceptance';
import type { Lake } from '@streampulse/lake';
import { silentLogger, type Logger } from '@streampulse/logging';
import { LAKE_LAYOUT, pipelineSettingsSchema, type AggregateTable } from '@streampulse/schema';
import { SPARK, type Dialect, type JobFile } from '@streampulse/contract-sql';

export { compareCsv, formatSmokeTable, type SmokeCheck } from '@streampulse/acceptance';
import {
  delimitedHeader,
  GlueLauncherError,
  planAggregateRun,
  planEtlRun,
  type JobArguments,
  type JobLauncher,
  type JobRunStatus,
} from '@streampulse/glue';

/**
 * One golden case folder as `smoke` reads it: `settings.json`, `lake/raw/**`, `expected/`.
 *
 * @example
 * const c: SmokeCase = readSmokeCase('packages/testing/golden/fixtures/basic');
 */
export interface SmokeCase {
  name: string;
  dir: string;
  settings: { source_tz: string; reporting_tz: string };
  /** Every file under `lake/raw/`, as lake keys (`raw/...`), in key order. */
  rawKeys: string[];
  /** Days with expected aggregates, ascending. */
  days: string[];
  /** Files the contract fails (`expected/etl_report.json` `files_failed`): their runs may fail. */
  failedKeys: string[];
  /** Rejected rows per reason (`expected/etl_report.json` `rejected_by_reason`). */
  rejectedByReason: Record<string, number>;
}

/**
 * Reads a golden case folder; a folder that is not one (no `settings.json`, `lake/raw/` or
 * `expected/`) is `GlueLauncherError` code `invalid_request`.
 *
 * @example
 * readSmokeCase('packages/testing/golden/fixtures/basic').days[0]; // '2024-03-01'
 */
export function readSmokeCase(dir: string): SmokeCase {
  let golden: GoldenCase;
  try {
    golden = readGoldenCase(dir);
  } catch (error) {
    throw new GlueLauncherError('invalid_request', (error as Error).message, { cause: error });
  }
  return {
    name: golden.name,
    dir,
    settings: golden.settings,
    rawKeys: lakeFolderKeys(golden.lakeDir, 'raw/'),
    days: golden.days,
    failedKeys: golden.report.files_failed,
    rejectedByReason: golden.report.rejected_by_reason,
  };
}

const DATASETS: readonly [JobFile['dataset'], string][] = [
  ['content', LAKE_LAYOUT.contentMetadata],
  ['users', LAKE_LAYOUT.userProfiles],
  ['playback', LAKE_LAYOUT.playback],
];

/**
 * The case's data files as the ETL plan takes them (format, header read from the file; `.json`
 * holding an array is `json-array`); files the contract skips (`notes.txt`, `_hidden`) are left out.
 *
 * @example
 * caseJobFiles(readSmokeCase(dir)).filter((f) => f.dataset === 'playback').length;
 */
export function caseJobFiles(smokeCase: SmokeCase): JobFile[] {
  const files: JobFile[] = [];
  for (const [dataset, prefix] of DATASETS) {
    for (const key of smokeCase.rawKeys) {
      const found = classifyKey(key, prefix);
      if (found.kind !== 'data') continue;
      const bytes = readFileSync(join(smokeCase.dir, 'lake', ...key.split('/')));
      // A sync flush keeps what a truncated gzip holds: its header is still there to read.
      const text = (
        found.type.gzip ? gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }) : bytes
      ).toString('utf8');
      const { format } = found.type;
      if (format === 'csv' || format === 'tsv') {
        files.push({ key, dataset, format, header: delimitedHeader(text, format === 'csv' ? ',' : '\t') });
      } else {
        const array = format === 'json' && text.trimStart().startsWith('[');
        files.push({ key, dataset, format: array ? 'json-array' : 'jsonl' });
      }
    }
  }
  return files;
}

/**
 * Where `smoke` reads results back from: the warehouse the Glue jobs wrote to, and the lake.
 *
 * @example
 * const source: SmokeSource = warehouseSmokeSource(databaseUrl, lakeFor);
 */
export interface SmokeSource {
  /** Empties the processed tables, so each case starts from nothing. */
  reset(): Promise<void>;
  /** `processed.processed_data` as the contract's CSV (`dumpProcessedCsv`). */
  processedCsv(): Promise<string>;
  /** One day's aggregate object under `lakeRoot`, as the contract's CSV; undefined when absent. */
  aggregateCsv(lakeRoot: string, table: AggregateTable, day: string): Promise<string | undefined>;
  /** Every day the ETL runs recorded under `<lakeRoot>/state/changed-days/`. */
  changedDays(lakeRoot: string): Promise<string[]>;
  /**
   * The reason of every rejected row the ETL runs wrote under `<lakeRoot>/rejected/playback/_glue/`
   * (`unreadable line` for a line that is not a quarantine line).
   */
  rejectedReasons(lakeRoot: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * What `runSmoke` is given: the launcher (Glue), a lake per root (S3), and the results source.
 *
 * @example
 * const deps: SmokeDeps = { launcher, lakeFor: (root) => openLake(root, { env }), source };
 */
export interface SmokeDeps {
  launcher: JobLauncher;
  lakeFor(root: string): Lake;
  source: SmokeSource;
  /** Told of each run's end (an info entry with `case`, `jobRunId`, `state`). */
  logger?: Logger;
  waitTimeoutMs?: number;
}

/**
 * What `runSmoke` runs.
 *
 * @example
 * const options: SmokeOptions = { lakeRoot: 's3://bucket', runId: '20250314t2030', cases: [dir], etlJob: 'streampulse-etl', aggregateJob: 'streampulse-aggregate', jobArguments: {} };
 */
export interface SmokeOptions {
  lakeRoot: string;
  /** Names this smoke run: objects go under `<lakeRoot>/smoke/<runId>/<case>/`. */
  runId: string;
  cases: readonly string[];
  etlJob: string;
  aggregateJob: string;
  /** Added to every run (the warehouse's `--jdbc_url`, `--jdbc_user`, `--jdbc_password`). */
  jobArguments: JobArguments;
  /** The SQL dialect the jobs' runner executes (default SPARK, what the Glue runner runs). */
  dialect?: Dialect;
}

/**
 * Proves the Spark side on golden cases: per case, uploads `lake/raw/**` under a fresh smoke
 * prefix, empties the warehouse tables, runs the ETL job once per playback file (in key order,
 * each with a plan compiled for that file and the dimension files) and the aggregation job once
 * per expected day, then compares `processed_data` and every day's two aggregate objects with
 * `expected/`. A failed run is a failed check, and the case goes on to its comparisons.
 *
 * @example
 * const checks = await runSmoke(deps, options);
 * process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
 */
export async function runSmoke(deps: SmokeDeps, options: SmokeOptions): Promise<SmokeCheck[]> {
  const checks: SmokeCheck[] = [];
  const logger = deps.logger ?? silentLogger;
  for (const dir of options.cases) {
    const smokeCase = readSmokeCase(dir);
    const root = `${options.lakeRoot.replace(/\/+$/, '')}/smoke/${options.runId}/${smokeCase.name}`;
    const lake = deps.lakeFor(root);
    for (const key of smokeCase.rawKeys) {
      await lake.write(key, readFileSync(join(smokeCase.dir, 'lake', ...key.split('/'))));
    }
    await deps.source.reset();
    const settings = pipelineSettingsSchema.parse({
      sourceTimeZone: smokeCase.settings.source_tz,
      reportingTimeZone: smokeCase.settings.reporting_tz,
    });
    const dialect = options.dialect ?? SPARK;
    // Planned as the trigger Lambdas plan them: one ETL run per playback data file, in key order,
    // and one aggregation run per day.
    const runs: { job: string; planPath: string; label: string; mayFail: boolean }[] = [];
    for (const key of smokeCase.rawKeys) {
      if (classifyKey(key, LAKE_LAYOUT.playback).kind !== 'data') continue;
      const plan = await planEtlRun({ lake }, { jobName: options.etlJob, inputKey: key, settings, dialect });
      runs.push({
        job: options.etlJob,
        planPath: plan.planPath,
        label: `etl ${key}`,
        mayFail: smokeCase.failedKeys.includes(key),
      });
    }
    for (const day of smokeCase.days) {
      const plan = await planAggregateRun(
        { lake },
        { jobName: options.aggregateJob, runDate: day, lookbackDays: 0, dialect },
      );
      runs.push({
        job: options.aggregateJob,
        planPath: plan.planPath,
        label: `aggregate ${day}`,
        mayFail: false,
      });
    }
    // One run at a time: later files must merge after earlier ones, and days after every file.
    for (const run of runs) {
      const status = await startAndWait(deps, run.job, {
        ...options.jobArguments,
        '--plan_path': run.planPath,
      });
      logger.info(`${smokeCase.name}: ${run.label}: ${status.state} (${status.runId})`, {
        case: smokeCase.name,
        jobRunId: status.runId,
        state: status.state,
      });
      const detail = `${status.state}${status.errorMessage ? `: ${status.errorMessage}` : ''}`;
      if (run.mayFail) {
        // The contract fails this file; whether Spark fails the run or reads nothing from it,
        // the processed_data comparison is what decides.
        checks.push({
          case: smokeCase.name,
          check: run.label,
          ok: true,
          detail: `${detail} (contract: file fails)`,
        });
      } else if (status.state !== 'SUCCEEDED') {
        checks.push({ case: smokeCase.name, check: run.label, ok: false, detail });
      }
    }
    checks.push(...(await compareCase(deps.source, smokeCase, root)));
  }
  return checks;
}

async function startAndWait(deps: SmokeDeps, jobName: string, args: JobArguments): Promise<JobRunStatus> {
  const started = await deps.launcher.start({ jobName, arguments: args });
  return deps.launcher.wait(started, { timeoutMs: deps.waitTimeoutMs ?? 3_600_000 });
}

/**
 * Compares what a source holds with a case's `expected/`: `processed_data.csv`, then per day both
 * aggregate tables (an absent aggregate object equals an expected file with only a header: the
 * runner writes no object for an empty day), then that the ETL runs recorded every expected day
 * under `state/changed-days/`, then the rejected rows' count per reason.
 *
 * @example
 * const checks = await compareCase(source, readSmokeCase(dir), 's3://bucket/smoke/x/basic');
 */
export async function compareCase(
  source: Pick<SmokeSource, 'processedCsv' | 'aggregateCsv' | 'changedDays' | 'rejectedReasons'>,
  smokeCase: SmokeCase,
  lakeRoot: string,
): Promise<SmokeCheck[]> {
  const expected = (...parts: string[]) => readFileSync(join(smokeCase.dir, 'expected', ...parts), 'utf8');
  const check = (name: string, want: string, got: string | undefined): SmokeCheck =>
    csvCheck(smokeCase.name, name, want, got);
  const checks = [check('processed_data', expected('processed_data.csv'), await source.processedCsv())];
  for (const day of smokeCase.days) {
    for (const table of ['daily_engagement', 'daily_active_users'] as const) {
      const got = await source.aggregateCsv(lakeRoot, table, day);
      checks.push(check(`${table} ${day}`, expected(table, `${day}.csv`), got));
    }
  }
  // The daily trigger finds late days through these records: every expected day must be there.
  const recorded = new Set(await source.changedDays(lakeRoot));
  const missing = smokeCase.days.filter((day) => !recorded.has(day));
  checks.push({
    case: smokeCase.name,
    check: 'changed days',
    ok: missing.length === 0,
    ...(missing.length > 0 ? { detail: `not recorded: ${missing.join(', ')}` } : {}),
  });
  checks.push(rejectedCheck(smokeCase, await source.rejectedReasons(lakeRoot)));
  return checks;
}

/** The rejected rows' count per reason against the expected report's. */
function rejectedCheck(smokeCase: SmokeCase, reasons: readonly string[]): SmokeCheck {
  const got: Record<string, number> = {};
  for (const reason of reasons) got[reason] = (got[reason] ?? 0) + 1;
  const names = [...new Set([...Object.keys(got), ...Object.keys(smokeCase.rejectedByReason)])].sort();
  const differ = names.filter((name) => (got[name] ?? 0) !== (smokeCase.rejectedByReason[name] ?? 0));
  return {
    case: smokeCase.name,
    check: 'rejected rows',
    ok: differ.length === 0,
    ...(differ.length > 0
      ? {
          detail: differ
            .map(
              (name) => `${name}: expected ${smokeCase.rejectedByReason[name] ?? 0}, got ${got[name] ?? 0}`,
            )
            .join('; '),
        }
      : {}),
  };
}
