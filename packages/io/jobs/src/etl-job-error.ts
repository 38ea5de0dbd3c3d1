import { StreamPulseError } from '@streampulse/errors';
/**
 * Why a run could not be done at all.
 *
 * @example
 * const code: EtlJobErrorCode = 'input_not_found';
 */
export type EtlJobErrorCode = 'input_not_found' | 'input_outside_playback';

/**
 * Raised when a run cannot be done at all (as opposed to a file that fails).
 *
 * @example
 * if (error instanceof EtlJobError && error.code === 'input_not_found') exitWith(1);
 */
export class EtlJobError extends StreamPulseError<EtlJobErrorCode> {
  override readonly name = 'EtlJobError';
}
