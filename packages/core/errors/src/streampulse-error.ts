// A brand rather than `instanceof` alone: a bundled Lambda or a second copy of this package in
// node_modules would otherwise make a StreamPulse error look like a stranger, and be reported
// as a bug.
const BRAND = Symbol.for('streampulse.error');

/**
 * What every StreamPulse error takes besides its code and message.
 *
 * @example
 * const options: StreamPulseErrorOptions = { cause: error, expected: false };
 */
export interface StreamPulseErrorOptions {
  /** The error underneath, kept for the stack and for `error.cause`. */
  cause?: unknown;
  /**
   * False when the failure means a defect in StreamPulse itself rather than bad input, bad
   * settings or an unreachable service. Defaults to true: a typed error is a failure we foresaw.
   */
  expected?: boolean;
}

/**
 * The base of every error class in StreamPulse. Callers (the CLI, the Lambdas) decide "tell the
 * user in one line" or "report a bug" by {@link isExpectedError}, never by class names.
 *
 * @example
 * type LakeErrorCode = 'not_found' | 'unreachable';
 * class LakeError extends StreamPulseError<LakeErrorCode> {
 *   override readonly name = 'LakeError';
 * }
 * throw new LakeError('not_found', 'no object at raw/x.csv');
 */
export class StreamPulseError<Code extends string = string> extends Error {
  /** A stable, machine-readable reason, one of the subclass's documented codes. */
  readonly code: Code;
  /** See {@link StreamPulseErrorOptions.expected}. */
  readonly expected: boolean;

  constructor(code: Code, message: string, options: StreamPulseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.expected = options.expected ?? true;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for any StreamPulse error, whichever copy of this package made it.
 *
 * @example
 * if (isStreamPulseError(error)) console.error(error.code);
 */
export function isStreamPulseError(error: unknown): error is StreamPulseError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * True for a StreamPulse error that reports a failure we foresaw (bad input, settings, an
 * unreachable service): worth one clear line, not a stack trace.
 *
 * @example
 * if (isExpectedError(error)) stderr.write(`${error.message}\n`);
 */
export function isExpectedError(error: unknown): error is StreamPulseError {
  return isStreamPulseError(error) && error.expected;
}

/**
 * The message of anything thrown (an `Error`'s message, else its text), for a clearer message
 * that names the file or setting involved.
 *
 * @example
 * throw new LakeError('io', `reading ${key}: ${messageOf(error)}`, { cause: error });
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
