import type { Logger } from '@streampulse/logging';
import { GlueLauncherError } from './errors.js';
import type { JobLauncher, JobRunRef, StartJobRunRequest } from './launcher.js';

/**
 * How {@link startJobRunWithRetry} backs off: full-jitter exponential delays, stopping while
 * `safetyMarginMs` of the caller's time is still left.
 *
 * @example
 * const policy: RetryPolicy = { baseDelayMs: 200, maxDelayMs: 10_000, safetyMarginMs: 5_000 };
 */
export interface RetryPolicy {
  /** Cap of the first delay; each retry doubles it (default 200 ms). */
  baseDelayMs?: number;
  /** Largest cap (default 10 s). */
  maxDelayMs?: number;
  /** Time kept back for the last call and the caller's own exit (default 5 s). */
  safetyMarginMs?: number;
}

/**
 * What the retry loop reads and waits with; a Lambda passes `context.getRemainingTimeInMillis`.
 *
 * @example
 * const deps: RetryDeps = { remainingTimeMs: () => context.getRemainingTimeInMillis(), sleep, random: Math.random };
 */
export interface RetryDeps {
  /** Milliseconds the caller has left (a Lambda's remaining time). */
  remainingTimeMs: () => number;
  sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1): the jitter. */
  random: () => number;
  /** Told before each wait, e.g. to log the retry. */
  onRetry?: (retry: { attempt: number; delayMs: number; error: GlueLauncherError }) => void;
}

/**
 * The retry loop inside a Lambda invocation: the invocation's remaining time, real waits and
 * jitter unless given, and every retry logged as one WARN entry carrying `fields` (what the run
 * is for, e.g. its input path).
 *
 * @example
 * await startJobRunWithRetry(launcher, request, lambdaRetryDeps(context, { logger }, { inputPath }));
 */
export function lambdaRetryDeps(
  context: { getRemainingTimeInMillis(): number },
  runtime: {
    logger: Logger;
    sleep?: ((ms: number) => Promise<void>) | undefined;
    random?: (() => number) | undefined;
  },
  fields: Record<string, unknown>,
): RetryDeps {
  return {
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
    sleep: runtime.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    random: runtime.random ?? Math.random,
    onRetry: ({ attempt, delayMs, error }) =>
      runtime.logger.warn('retrying StartJobRun', { ...fields, attempt, delayMs, code: error.code }),
  };
}

/**
 * A started run, and how many StartJobRun calls it took.
 *
 * @example
 * const started: StartedRun = { run: { jobName: 'streampulse-etl', runId: 'jr_1' }, attempts: 2 };
 */
export interface StartedRun {
  run: JobRunRef;
  attempts: number;
}

/**
 * Starts a run, retrying what `GlueLauncherError.retryable` marks (concurrent runs exceeded,
 * throttling, 5xx) with full-jitter exponential backoff for as long as the caller's remaining time
 * allows. When the next wait would eat into the safety margin it throws a `GlueLauncherError` code
 * 'gave_up' whose cause is the last error; errors that are not retryable are thrown at once.
 *
 * @example
 * const { run } = await startJobRunWithRetry(launcher, request, {
 *   remainingTimeMs: () => context.getRemainingTimeInMillis(),
 *   sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
 *   random: Math.random,
 * });
 */
export async function startJobRunWithRetry(
  launcher: JobLauncher,
  request: StartJobRunRequest,
  deps: RetryDeps,
  policy: RetryPolicy = {},
): Promise<StartedRun> {
  const { baseDelayMs = 200, maxDelayMs = 10_000, safetyMarginMs = 5_000 } = policy;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { run: await launcher.start(request), attempts: attempt };
    } catch (error) {
      if (!(error instanceof GlueLauncherError) || !error.retryable) throw error;
      const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.floor(deps.random() * cap);
      const budgetMs = deps.remainingTimeMs() - safetyMarginMs;
      if (delayMs >= budgetMs) {
        throw new GlueLauncherError(
          'gave_up',
          `could not start a run of ${request.jobName} after ${attempt} attempt${attempt === 1 ? '' : 's'} ` +
            `before the time ran out; last error: ${error.message}`,
          { cause: error },
        );
      }
      deps.onRetry?.({ attempt, delayMs, error });
      await deps.sleep(delayMs);
    }
  }
}
