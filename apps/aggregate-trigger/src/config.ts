import { isIanaTimeZone } from '@streampulse/schema';
import { AggregateTriggerError } from './errors.js';

/**
 * The aggregation trigger's settings.
 *
 * @example
 * const config: AggregateTriggerConfig = {
 *   jobName: 'streampulse-aggregate',
 *   reportingTimeZone: 'Asia/Kolkata',
 *   lookbackDays: 1,
 *   changedDaysWindowDays: 7,
 *   outputPath: 's3://acme-lake/analytics/daily_aggregates/',
 * };
 */
export interface AggregateTriggerConfig {
  /** `AGGREGATE_JOB_NAME`. */
  jobName: string;
  /** `REPORTING_TZ`, default Asia/Kolkata: whose calendar day a run aggregates. */
  reportingTimeZone: string;
  /** `LOOKBACK_DAYS`, default 1: earlier days aggregated again for late data. */
  lookbackDays: number;
  /**
   * `CHANGED_DAYS_WINDOW_DAYS`, default 7: a run also covers every day the Glue ETL runs of this
   * many days before the event recorded under `state/changed-days/` (0: lookback days only).
   */
  changedDaysWindowDays: number;
  /** `OUTPUT_PATH`: `s3://bucket/.../analytics/daily_aggregates/`. */
  outputPath: string;
}

function required(env: Record<string, string | undefined>, name: string, what: string): string {
  const value = env[name]?.trim();
  if (!value) throw new AggregateTriggerError('config', `${name} is not set: ${what}`);
  return value;
}

function wholeDays(env: Record<string, string | undefined>, name: string, fallback: string): number {
  const value = env[name]?.trim() || fallback;
  if (!/^\d{1,3}$/.test(value)) {
    throw new AggregateTriggerError(
      'config',
      `${name} must be a whole number of days, got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

/**
 * Reads the settings from an environment: `AGGREGATE_JOB_NAME`, `OUTPUT_PATH` and
 * (required), `REPORTING_TZ`, `LOOKBACK_DAYS`, `CHANGED_DAYS_WINDOW_DAYS`. A bad value throws an
 * `AggregateTriggerError` code 'config' naming the variable.
 *
 * @example
 * const config = readAggregateTriggerConfig(process.env);
 */
export function readAggregateTriggerConfig(env: Record<string, string | undefined>): AggregateTriggerConfig {
  const jobName = required(env, 'AGGREGATE_JOB_NAME', 'name the aggregation Glue job');
  const outputPath = required(env, 'OUTPUT_PATH', 'give s3://<bucket>/analytics/daily_aggregates/');
  if (!/^s3:\/\/[^/]+\//.test(outputPath)) {
    throw new AggregateTriggerError(
      'config',
      `OUTPUT_PATH must be an s3://bucket/... URL, got ${JSON.stringify(outputPath)}`,
    );
  }
  const reportingTimeZone = env.REPORTING_TZ?.trim() || 'Asia/Kolkata';
  if (!isIanaTimeZone(reportingTimeZone)) {
    throw new AggregateTriggerError(
      'config',
      `REPORTING_TZ must be an IANA time zone, got ${JSON.stringify(reportingTimeZone)}`,
    );
  }
  return {
    jobName,
    reportingTimeZone,
    lookbackDays: wholeDays(env, 'LOOKBACK_DAYS', '1'),
    changedDaysWindowDays: wholeDays(env, 'CHANGED_DAYS_WINDOW_DAYS', '7'),
    outputPath,
  };
}
