import { jsonLineLogger, withFields, type Logger } from '@streampulse/logging';
import type { JobLauncher } from './launcher.js';
import type { RetryPolicy } from './retry.js';

/**
 * The part of the Lambda context a trigger reads.
 *
 * @example
 * const context: LambdaContext = { getRemainingTimeInMillis: () => 30_000 };
 */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
  /** The invocation's request id, carried by every log line of the invocation. */
  readonly awsRequestId?: string;
}

/**
 * What every trigger Lambda runs with besides its own config; the Lambda entry builds it from
 * the environment once, tests pass their own.
 *
 * @example
 * const runtime: TriggerRuntime = { launcher: new GlueJobLauncher(client) };
 */
export interface TriggerRuntime {
  launcher: JobLauncher;
  /** Where the trigger's entries go (default: one JSON line each on stdout, as Lambda logs read). */
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the backoff jitter (default Math.random). */
  random?: () => number;
  retry?: RetryPolicy;
}

/**
 * The logger of one invocation: the runtime's (default JSON lines on stdout) with the request id
 * on every entry as `function_request_id`, the field Powertools' Logger uses, so one query finds
 * every line of an invocation.
 *
 * @example
 * const logger = invocationLogger(deps, context);
 * logger.info('job run started', { jobRunId: 'jr_1' });
 */
export function invocationLogger(runtime: Pick<TriggerRuntime, 'logger'>, context: LambdaContext): Logger {
  const logger = runtime.logger ?? jsonLineLogger((line) => console.log(line));
  return context.awsRequestId === undefined
    ? logger
    : withFields(logger, { function_request_id: context.awsRequestId });
}
