import { StreamPulseError } from '@streampulse/errors';

/**
 * Why a golden case could not be read.
 *
 * @example
 * const code: AcceptanceErrorCode = 'not_a_case';
 */
export type AcceptanceErrorCode = 'not_a_case';

/**
 * The one error this package throws: a folder given as a case is not one (an expected failure:
 * a wrong `--case` argument).
 *
 * @example
 * try { readGoldenCase(dir); } catch (error) { if (error instanceof AcceptanceError) console.error(error.message); }
 */
export class AcceptanceError extends StreamPulseError<AcceptanceErrorCode> {
  override readonly name = 'AcceptanceError';
}
