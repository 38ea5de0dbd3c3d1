import { StreamPulseError } from '@streampulse/errors';
/**
 * Why a setup step failed; callers branch on this, never on the message.
 *
 * @example
 * const code: AthenaSetupErrorCode = 'timeout';
 */
export type AthenaSetupErrorCode = 'usage' | 'athena_error' | 'query_failed' | 'timeout';

/**
 * The one error this app throws: a bad option (`usage`), an Athena API call that failed
 * (`athena_error`), a statement that ended FAILED or CANCELLED (`query_failed`, with Athena's
 * StateChangeReason), or one that did not finish in time (`timeout`).
 *
 * @example
 * try {
 *   await runAthenaStatements(client, statements, { workgroup: 'primary' });
 * } catch (error) {
 *   if (error instanceof AthenaSetupError && error.code === 'query_failed') console.error(error.message);
 * }
 */
export class AthenaSetupError extends StreamPulseError<AthenaSetupErrorCode> {
  override readonly name = 'AthenaSetupError';
}
