import type { AggregateFormat } from '@streampulse/jobs';
import { LAKE_LAYOUT, pipelineSettingsSchema, type PipelineSettings } from '@streampulse/schema';
import { GlueLauncherError } from '../errors.js';
import type { JobArguments } from '../launcher.js';

/**
 * Which of the project's jobs a Glue job name stands for.
 *
 * @example
 * const jobs: Record<string, LocalJobKind> = { 'streampulse-etl': 'etl', 'streampulse-aggregate': 'aggregate' };
 */
export type LocalJobKind = 'etl' | 'aggregate';

/**
 * A Glue run's arguments, read into what the local job needs.
 *
 * @example
 * const plan: LocalJobPlan = { kind: 'etl', inputKey: 'raw/playback/a.csv', settings, usesSecret: false };
 */
export type LocalJobPlan =
  | { kind: 'etl'; inputKey: string; settings: PipelineSettings }
  | { kind: 'aggregate'; days: string[]; format: AggregateFormat };

function invalid(message: string): GlueLauncherError {
  return new GlueLauncherError('invalid_request', message);
}

/** `s3://bucket/key` -> `key`; the bucket names the lake, which locally is the one folder. */
function keyOfS3Url(url: string): string {
  const match = /^s3:\/\/[^/]+\/(.+)$/.exec(url);
  if (!match?.[1]) throw invalid(`--input_path must be s3://bucket/key, got ${JSON.stringify(url)}`);
  return match[1];
}

function etlPlan(args: JobArguments): LocalJobPlan {
  const input = args['--input_path'];
  if (input === undefined) throw invalid('the ETL job needs --input_path s3://bucket/key');
  const parsed = pipelineSettingsSchema.safeParse({
    ...(args['--source_tz'] !== undefined ? { sourceTimeZone: args['--source_tz'] } : {}),
    ...(args['--reporting_tz'] !== undefined ? { reportingTimeZone: args['--reporting_tz'] } : {}),
  });
  if (!parsed.success) throw invalid(`bad ETL settings: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return { kind: 'etl', inputKey: keyOfS3Url(input), settings: parsed.data };
}

const DAY_MS = 86_400_000;

function parseRunDate(value: string | undefined): number {
  const match = value === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || new Date(time).toISOString().slice(0, 10) !== value) {
    throw invalid(`--run_date must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return time;
}

function aggregatePlan(args: JobArguments): LocalJobPlan {
  const runDate = parseRunDate(args['--run_date']);
  const lookback = args['--lookback_days'] ?? '0';
  if (!/^\d{1,3}$/.test(lookback)) {
    throw invalid(`--lookback_days must be a whole number of days, got ${JSON.stringify(lookback)}`);
  }
  const format = args['--format'] ?? 'parquet';
  if (format !== 'parquet' && format !== 'csv') {
    throw invalid(`--format must be parquet or csv, got ${JSON.stringify(format)}`);
  }
  const output = args['--output_path'];
  // The job writes both tables at fixed places of the lake; an output path elsewhere would be ignored silently.
  if (output !== undefined && !output.replace(/\/?$/, '/').endsWith(LAKE_LAYOUT.dailyEngagement)) {
    throw invalid(
      `--output_path must end with ${LAKE_LAYOUT.dailyEngagement}, got ${JSON.stringify(output)}`,
    );
  }
  const days: string[] = [];
  for (let back = Number(lookback); back >= 0; back -= 1) {
    days.push(new Date(runDate - back * DAY_MS).toISOString().slice(0, 10));
  }
  return { kind: 'aggregate', days, format };
}

/**
 * Reads a run's Glue arguments into a local job: the job kind comes from `jobs[jobName]`, else
 * from the arguments (`--input_path`: ETL, `--run_date`: aggregation). ETL: `--input_path
 * s3://bucket/key` becomes `key` of the local lake, `--source_tz`/`--reporting_tz` the settings.
 * Aggregation: `--run_date` and the `--lookback_days` days before it, oldest first, in `--format`.
 * Bad arguments throw a `GlueLauncherError` code 'invalid_request', as Glue's InvalidInputException.
 *
 * @example
 * planLocalJob('streampulse-aggregate', { '--run_date': '2025-03-14', '--lookback_days': '1' }, {});
 * // { kind: 'aggregate', days: ['2025-03-13', '2025-03-14'], format: 'parquet' }
 */
export function planLocalJob(
  jobName: string,
  args: JobArguments,
  jobs: Readonly<Record<string, LocalJobKind>>,
): LocalJobPlan {
  const kind =
    jobs[jobName] ??
    (args['--input_path'] !== undefined ? 'etl' : args['--run_date'] !== undefined ? 'aggregate' : undefined);
  if (kind === undefined) {
    throw new GlueLauncherError(
      'job_not_found',
      `no local job for ${JSON.stringify(jobName)}: name it in jobs, or pass --input_path (ETL) or --run_date (aggregation)`,
    );
  }
  return kind === 'etl' ? etlPlan(args) : aggregatePlan(args);
}
