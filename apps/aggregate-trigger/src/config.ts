import { isIanaTimeZone } from '@streampulse/schema';
import { parseEnvironment } from '@streampulse/triggers';
import { z } from 'zod';
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

const wholeDays = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/, {
      error: (issue) => `must be a whole number of days, got ${JSON.stringify(issue.input)}`,
    })
    .transform(Number)
    .default(fallback);

/** The Lambda's environment, as the stack sets it. */
const environmentSchema = z.object({
  AGGREGATE_JOB_NAME: z.string({ error: 'is not set: name the aggregation Glue job' }),
  OUTPUT_PATH: z
    .string({ error: 'is not set: give s3://<bucket>/analytics/daily_aggregates/' })
    .regex(/^s3:\/\/[^/]+\//, {
      error: (issue) => `must be an s3://bucket/... URL, got ${JSON.stringify(issue.input)}`,
    }),
  REPORTING_TZ: z
    .string()
    .refine(isIanaTimeZone, {
      error: (issue) => `must be an IANA time zone, got ${JSON.stringify(issue.input)}`,
    })
    .default('Asia/Kolkata'),
  LOOKBACK_DAYS: wholeDays(1),
  CHANGED_DAYS_WINDOW_DAYS: wholeDays(7),
});

/**
 * Reads the settings from an environment: `AGGREGATE_JOB_NAME`, `OUTPUT_PATH` and
 * (required), `REPORTING_TZ`, `LOOKBACK_DAYS`, `CHANGED_DAYS_WINDOW_DAYS`. A bad value throws an
 * `AggregateTriggerError` code 'config' naming the variable.
 *
 * @example
 * const config = readAggregateTriggerConfig(process.env);
 */
export function readAggregateTriggerConfig(env: Record<string, string | undefined>): AggregateTriggerConfig {
  const result = parseEnvironment(environmentSchema, env);
  if (!result.success) throw new AggregateTriggerError('config', result.message);
  const settings = result.data;
  return {
    jobName: settings.AGGREGATE_JOB_NAME,
    reportingTimeZone: settings.REPORTING_TZ,
    lookbackDays: settings.LOOKBACK_DAYS,
    changedDaysWindowDays: settings.CHANGED_DAYS_WINDOW_DAYS,
    outputPath: settings.OUTPUT_PATH,
  };
}
