import {
  GlueLauncherError,
  invocationLogger,
  lambdaRetryDeps,
  RunPlanError,
  startJobRunWithRetry,
  type JobArguments,
  type LambdaContext,
  type TriggerRuntime,
} from '@streampulse/glue';
import type { EtlTriggerConfig } from './config.js';
import { EtlTriggerError } from './errors.js';
import { playbackObjects, type PlaybackObjects, type S3Event } from '../s3-event.js';

/**
 * Everything the handler uses; the Lambda entry builds these from the environment once.
 *
 * @example
 * const deps: EtlTriggerDeps = { launcher: new GlueJobLauncher(client), config, planRun: async () => planPath };
 */
export interface EtlTriggerDeps extends TriggerRuntime {
  config: EtlTriggerConfig;
  /**
   * Compiles and uploads the plan of one object's run, returning its `--plan_path` (the Lambda
   * uses `planEtlRun`): the one argument the run gets, since the runner reads only its plan.
   */
  planRun: (object: PlaybackObjects['objects'][number]) => Promise<string>;
}

/**
 * What one invocation started, and which records it left alone.
 *
 * @example
 * const result: EtlTriggerResult = { runs: [{ inputPath: 's3://lake/raw/playback/a.csv', jobRunId: 'jr_1' }], ignored: [] };
 */
export interface EtlTriggerResult {
  runs: { inputPath: string; jobRunId: string }[];
  ignored: PlaybackObjects['ignored'];
}

/**
 * The handler's signature: an S3 event in, the runs it started out.
 *
 * @example
 * const handler: EtlTriggerHandler = createEtlTriggerHandler(deps);
 */
export type EtlTriggerHandler = (event: S3Event, context: LambdaContext) => Promise<EtlTriggerResult>;

/**
 * The S3-event handler: one ETL run per created playback object, started with `--plan_path` to a
 * plan compiled for that object, with retries within the invocation's remaining time, and logged
 * as one JSON line with its JobRunId. An object that is no data file, and keys outside the
 * playback prefix, are ignored. If any run cannot be started it throws an
 * `EtlTriggerError` code 'start_failed' after trying the rest, so Lambda retries the event and
 * finally hands it to the on-failure destination; the runs that did start are harmless to repeat.
 *
 * @example
 * const handler = createEtlTriggerHandler({ launcher, config, planRun });
 * await handler(event, context); // { runs: [{ inputPath: 's3://lake/raw/playback/a.csv', jobRunId: 'jr_…' }], ignored: [] }
 */
export function createEtlTriggerHandler(deps: EtlTriggerDeps): EtlTriggerHandler {
  const { launcher, config } = deps;
  return async (event, context) => {
    const logger = invocationLogger(deps, context);
    const { objects, ignored } = playbackObjects(event, config.playbackPrefix);
    for (const skipped of ignored) logger.info('record ignored', { ...skipped });
    const runs: EtlTriggerResult['runs'] = [];
    const failed: { inputPath: string; error: unknown }[] = [];
    for (const object of objects) {
      const { inputPath } = object;
      try {
        const args: JobArguments = { '--plan_path': await deps.planRun(object) };
        const { run, attempts } = await startJobRunWithRetry(
          launcher,
          { jobName: config.jobName, arguments: args },
          lambdaRetryDeps(context, { logger, sleep: deps.sleep, random: deps.random }, { inputPath }),
          deps.retry,
        );
        runs.push({ inputPath, jobRunId: run.runId });
        logger.info('job run started', {
          jobName: config.jobName,
          jobRunId: run.runId,
          inputPath,
          planPath: args['--plan_path'],
          attempts,
        });
      } catch (error) {
        if (error instanceof RunPlanError && error.code === 'not_data_file') {
          // No data file (`_SUCCESS`, `notes.txt`): the contract skips it, so there is nothing to run.
          ignored.push({ key: object.key, reason: 'not_data' });
          logger.info('record ignored', { key: object.key, reason: 'not_data' });
          continue;
        }
        failed.push({ inputPath, error });
        logger.error('job run not started', {
          jobName: config.jobName,
          inputPath,
          code: error instanceof GlueLauncherError || error instanceof RunPlanError ? error.code : undefined,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    if (failed.length > 0) {
      throw new EtlTriggerError(
        'start_failed',
        `could not start ${config.jobName} for ${failed.length} of ${objects.length} objects: ` +
          failed.map((f) => f.inputPath).join(', '),
        { cause: failed.length === 1 ? failed[0]?.error : new AggregateError(failed.map((f) => f.error)) },
      );
    }
    return { runs, ignored };
  };
}
