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
  /** Writes one structured log entry (default: one JSON line on stdout). */
  log?: (entry: Record<string, unknown>) => void;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the backoff jitter (default Math.random). */
  random?: () => number;
  retry?: RetryPolicy;
}
