import { StreamPulseError } from '@streampulse/errors';
/** Why a lake operation failed. `invalid_key` is a caller bug: a key that is empty, absolute or climbs out with `..`. */
export type LakeErrorCode =
  | 'not_found'
  | 'access_denied'
  | 'invalid_root'
  | 'invalid_key'
  /** A byte range that is no range: a negative or fractional start, or an end before it. A caller bug. */
  | 'invalid_range'
  | 'io';

/**
 * The one error type a lake throws. The message names the lake root and the key (never a secret);
 * the underlying error, if any, is kept as `cause`.
 *
 * @example
 * try {
 *   await lake.read('raw/playback/missing.csv');
 * } catch (error) {
 *   if (error instanceof LakeError && error.code === 'not_found') console.log(error.key);
 * }
 */
export class LakeError extends StreamPulseError<LakeErrorCode> {
  override readonly name = 'LakeError';
  /** The key the operation was about, when there was one. */
  readonly key?: string;

  constructor(code: LakeErrorCode, message: string, options: { key?: string; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    if (options.key !== undefined) this.key = options.key;
  }
}
