import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lakeUrl, type Lake } from '@streampulse/lake';
import { DuckdbPlanRunner, locateSpark, SparkPlanRunner, type PlanRunner } from '@streampulse/plan-runner';
import { DUCKDB, SPARK } from '@streampulse/contract-sql';
import { GlueLauncherError } from '../errors.js';
import type { JobArguments } from '../launcher.js';
import { planAggregateRun, planEtlRun, type RunPlan } from '../run-plans.js';
import type { Logger } from '@streampulse/logging';

// The local backends run from this repository's sources: packages/io/glue/src/local.
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');

/**
 * The Glue runner script, as the stack ships it and the local Spark runs it. It stays with the
 * app that owns the Glue jobs (`apps/glue-launcher/glue/runner.py`, the infra stack's asset): the
 * local Spark must run that very file, not a copy.
 *
 * @example
 * new SparkPlanRunner({ spark, runnerScript: RUNNER_SCRIPT, env: process.env });
 */
export const RUNNER_SCRIPT = resolve(repositoryRoot, 'apps', 'glue-launcher', 'glue', 'runner.py');

/** Where `npm run spark:setup` installs the local Spark: `.cache/spark` at the repository root. */
export const SPARK_CACHE = resolve(repositoryRoot, '.cache', 'spark');

/**
 * The engines a plan runs on here: `spark` (Glue 5.0's Spark, local) or `duckdb` (in process).
 *
 * @example
 * const backend: LocalBackend = 'duckdb';
 */
export type LocalBackend = 'spark' | 'duckdb';

/**
 * A plan runner for a local backend. Spark is found where `npm run spark:setup` put it
 * (`PlanRunError` `engine_missing` otherwise).
 *
 * @example
 * const runner = localPlanRunner('spark', { env: process.env, logger: textLineLogger((line) => console.error(line)) });
 */
export function localPlanRunner(
  backend: LocalBackend,
  options: {
    env: Record<string, string | undefined>;
    logger?: Logger;
    resident?: boolean;
    sparkCache?: string;
  },
): PlanRunner {
  if (backend === 'duckdb') return new DuckdbPlanRunner({ env: options.env });
  return new SparkPlanRunner({
    spark: locateSpark(options.sparkCache ?? SPARK_CACHE),
    runnerScript: RUNNER_SCRIPT,
    env: options.env,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.resident ? { resident: true } : {}),
  });
}

/**
 * The dialect a backend's plans are compiled for.
 *
 * @example
 * planEtlRun({ lake }, { jobName, inputKey, dialect: dialectOf('spark') });
 */
export const dialectOf = (backend: LocalBackend) => (backend === 'spark' ? SPARK : DUCKDB);

function invalid(message: string): GlueLauncherError {
  return new GlueLauncherError('invalid_request', message);
}

/** The lake key an `--input_path` names: under the lake's own URL, else after `s3://bucket/`. */
function inputKeyOf(lake: Lake, inputPath: string): string {
  const root = `${lakeUrl(lake.root)}/`;
  if (inputPath.startsWith(root)) return inputPath.slice(root.length);
  const match = /^s3:\/\/[^/]+\/(.+)$/.exec(inputPath);
  if (!match?.[1]) throw invalid(`input_path must be s3://bucket/key, got ${JSON.stringify(inputPath)}`);
  return match[1];
}

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw invalid(`${name} must be a whole number of days, got ${JSON.stringify(value)}`);
  }
  return number;
}

/**
 * Plans the run a job's arguments ask for, exactly as the trigger Lambdas plan theirs (the same
 * functions, compiled for `backend`, stored where they store them): `input_path` is an ETL run of
 * that playback object (`s3://bucket/key`; locally the bucket names the lake), `run_date` (with
 * `lookback_days`, default 0) an aggregation run.
 *
 * @example
 * const { planPath } = await planLocalRun(lake, 'streampulse-etl', { '--input_path': 's3://lake/raw/playback/a.csv' }, 'spark');
 */
export async function planLocalRun(
  lake: Lake,
  jobName: string,
  args: JobArguments,
  backend: LocalBackend,
): Promise<RunPlan> {
  const dialect = dialectOf(backend);
  const inputPath = args['--input_path'];
  const runDate = args['--run_date'];
  if (inputPath !== undefined && runDate !== undefined) {
    throw invalid('give input_path (an ETL run) or run_date (an aggregation run), not both');
  }
  if (inputPath !== undefined) {
    return planEtlRun({ lake }, { jobName, inputKey: inputKeyOf(lake, inputPath), dialect });
  }
  if (runDate !== undefined) {
    const lookbackDays = wholeNumber('lookback_days', args['--lookback_days'], 0);
    return planAggregateRun({ lake }, { jobName, runDate, lookbackDays, dialect });
  }
  throw invalid(
    'give --arg input_path=s3://bucket/raw/playback/<file> (ETL) or --arg run_date=YYYY-MM-DD (aggregation)',
  );
}
