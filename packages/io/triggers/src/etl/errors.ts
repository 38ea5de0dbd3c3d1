import { StreamPulseError } from '@streampulse/errors';
/**
 * Why the ETL trigger failed: its settings (`config`), or runs it could not start (`start_failed`).
 *
 * @example
 * const code: EtlTriggerErrorCode = 'start_failed';
 */
export type EtlTriggerErrorCode = 'config' | 'start_failed';

/**
 * The one error the ETL trigger throws; thrown from the handler, it makes Lambda retry the event
 * and, past the retries, send it to the on-failure destination.
 *
 * @example
 * try {
 *   await handler(event, context);
 * } catch (error) {
 *   if (error instanceof EtlTriggerError && error.code === 'start_failed') console.error(error.message);
 * }
 */
export class EtlTriggerError extends StreamPulseError<EtlTriggerErrorCode> {
  override readonly name = 'EtlTriggerError';
}
