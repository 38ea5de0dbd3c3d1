import { StreamPulseError } from '@streampulse/errors';
/**
 * Why the aggregation trigger failed: its settings (`config`), an event without a usable `time`
 * (`bad_event`), or a run it could not start (`start_failed`).
 *
 * @example
 * const code: AggregateTriggerErrorCode = 'bad_event';
 */
export type AggregateTriggerErrorCode = 'config' | 'bad_event' | 'start_failed';

/**
 * The one error the aggregation trigger throws; thrown from the handler, it makes Lambda retry
 * the event and, past the retries, send it to the on-failure destination.
 *
 * @example
 * try {
 *   readAggregateTriggerConfig({});
 * } catch (error) {
 *   if (error instanceof AggregateTriggerError && error.code === 'config') console.error(error.message);
 * }
 */
export class AggregateTriggerError extends StreamPulseError<AggregateTriggerErrorCode> {
  override readonly name = 'AggregateTriggerError';
}
