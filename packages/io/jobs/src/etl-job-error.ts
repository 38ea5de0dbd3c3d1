/**
 * Raised when a run cannot be done at all (as opposed to a file that fails).
 *
 * @example
 * if (error instanceof EtlJobError && error.code === 'input_not_found') exitWith(1);
 */
export class EtlJobError extends Error {
  override readonly name = 'EtlJobError';
  constructor(
    message: string,
    readonly code: 'input_not_found' | 'input_outside_playback',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
