import { StreamPulseError } from '@streampulse/errors';
/**
 * Why a launcher call failed; callers branch on this, never on the message.
 *
 * @example
 * const code: GlueLauncherErrorCode = 'concurrent_runs_exceeded';
 */
export type GlueLauncherErrorCode =
  | 'usage'
  | 'invalid_request'
  | 'job_not_found'
  | 'run_not_found'
  | 'concurrent_runs_exceeded'
  | 'throttled'
  | 'service_unavailable'
  | 'glue_error'
  | 'timeout'
  | 'gave_up';

// Worth another try later: the job is busy, or Glue is busy or briefly down.
const RETRYABLE: ReadonlySet<GlueLauncherErrorCode> = new Set([
  'concurrent_runs_exceeded',
  'throttled',
  'service_unavailable',
]);

/**
 * The one error the launcher throws. `retryable` says whether the same call may succeed later
 * (concurrent runs exceeded, throttling, a 5xx); the original error is the `cause`.
 *
 * @example
 * try {
 *   await launcher.start({ jobName: 'streampulse-etl', arguments: { '--input_path': 's3://lake/raw/playback/a.csv' } });
 * } catch (error) {
 *   if (error instanceof GlueLauncherError && error.retryable) scheduleRetry();
 * }
 */
export class GlueLauncherError extends StreamPulseError<GlueLauncherErrorCode> {
  override readonly name = 'GlueLauncherError';

  /** True when the same call may succeed if tried again later. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}
