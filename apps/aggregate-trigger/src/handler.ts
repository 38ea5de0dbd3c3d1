import {
  invocationLogger,
  lambdaRetryDeps,
  startJobRunWithRetry,
  type JobArguments,
  type LambdaContext,
  type TriggerRuntime,
} from '@streampulse/glue';
import { MS_PER_DAY } from '@streampulse/schema';
import type { AggregateTriggerConfig } from './config.js';
import { AggregateTriggerError } from './errors.js';
import { reportingDayEndedBy } from './run-date.js';

/**
 * The EventBridge scheduled event, as far as the trigger reads it.
 *
 * @example
 * const event: ScheduledEvent = { 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2025-03-14T20:30:00Z' };
 */
export interface ScheduledEvent {
  'detail-type'?: string;
  source?: string;
  /** When the schedule fired (ISO 8601); the run date comes from this, never from a clock. */
  time?: string;
  [field: string]: unknown;
}

/**
 * Everything the handler uses; the Lambda entry builds these from the environment once.
 *
 * @example
 * const deps: AggregateTriggerDeps = { launcher: new GlueJobLauncher(client), config: readAggregateTriggerConfig(process.env) };
 */
export interface AggregateTriggerDeps extends TriggerRuntime {
  config: AggregateTriggerConfig;
  /**
   * Compiles and uploads the plan of a run over `runDate`, its lookback days and the days ETL runs
   * recorded since `changedSince` (absent when the window is 0), returning its `--plan_path`
   * (the Lambda uses `planAggregateRun`): the one argument the run gets, since the runner reads
   * only its plan.
   */
  planRun: (run: { runDate: string; lookbackDays: number; changedSince?: Date }) => Promise<string>;
}

/**
 * The run an invocation started.
 *
 * @example
 * const result: AggregateTriggerResult = { runDate: '2025-03-14', jobRunId: 'jr_1', arguments: { '--plan_path': 's3://lake/scripts/glue/runs/streampulse-aggregate/3f.json' } };
 */
export interface AggregateTriggerResult {
  runDate: string;
  jobRunId: string;
  arguments: JobArguments;
}

/**
 * The handler's signature: a scheduled event in, the run it started out.
 *
 * @example
 * const handler: AggregateTriggerHandler = createHandler(deps);
 */
export type AggregateTriggerHandler = (
  event: ScheduledEvent,
  context: LambdaContext,
) => Promise<AggregateTriggerResult>;

function eventTime(event: ScheduledEvent): Date {
  const time = typeof event.time === 'string' ? new Date(event.time) : undefined;
  if (!time || Number.isNaN(time.getTime())) {
    throw new AggregateTriggerError(
      'bad_event',
      `the event has no valid time (got ${JSON.stringify(event.time)}); expected an EventBridge scheduled event`,
    );
  }
  return time;
}

/**
 * The scheduled-event handler: starts the aggregation job for the reporting day that ended by the
 * event's `time`, its lookback days and the recently changed days, with `--plan_path` to a plan
 * compiled for those days, retrying within the invocation's remaining time, and logs the JobRunId
 * as one JSON line. When
 * the run cannot be started it throws an `AggregateTriggerError` code 'start_failed', so Lambda
 * retries and finally hands the event to the on-failure destination.
 *
 * @example
 * const handler = createHandler({ launcher, config });
 * await handler({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2025-03-14T20:30:00Z' }, context);
 * // { runDate: '2025-03-14', jobRunId: 'jr_…', arguments: { '--plan_path': 's3://…' } }
 */
export function createHandler(deps: AggregateTriggerDeps): AggregateTriggerHandler {
  const { launcher, config } = deps;
  return async (event, context) => {
    const logger = invocationLogger(deps, context);
    const time = eventTime(event);
    const runDate = reportingDayEndedBy(time, config.reportingTimeZone);
    const args: Record<string, string> = {};
    try {
      args['--plan_path'] = await deps.planRun({
        runDate,
        lookbackDays: config.lookbackDays,
        ...(config.changedDaysWindowDays > 0
          ? { changedSince: new Date(time.getTime() - config.changedDaysWindowDays * MS_PER_DAY) }
          : {}),
      });
      const { run, attempts } = await startJobRunWithRetry(
        launcher,
        { jobName: config.jobName, arguments: args },
        lambdaRetryDeps(context, { logger, sleep: deps.sleep, random: deps.random }, { runDate }),
        deps.retry,
      );
      logger.info('job run started', {
        jobName: config.jobName,
        jobRunId: run.runId,
        runDate,
        attempts,
      });
      return { runDate, jobRunId: run.runId, arguments: args };
    } catch (error) {
      logger.error('job run not started', {
        jobName: config.jobName,
        runDate,
        error: error instanceof Error ? error.message : String(error),
      });
      throw new AggregateTriggerError(
        'start_failed',
        `could not start ${config.jobName} for ${runDate}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  };
}

export type { LambdaContext };
