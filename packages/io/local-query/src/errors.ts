import { StreamPulseError } from '@streampulse/errors';
/**
 * Why a local query failed; callers branch on this, never on the message.
 *
 * @example
 * const code: LocalQueryErrorCode = 'sql_error';
 */
export type LocalQueryErrorCode = 'open_failed' | 'sql_error';

/**
 * The one error this package throws. For `sql_error` the message is DuckDB's first line
 * (`Catalog Error: Table with name x does not exist!`); `detail` keeps the rest.
 *
 * @example
 * try {
 *   await local.query('SELECT nope FROM daily_engagement');
 * } catch (error) {
 *   if (error instanceof LocalQueryError && error.code === 'sql_error') console.error(error.message);
 * }
 */
export class LocalQueryError extends StreamPulseError<LocalQueryErrorCode> {
  override readonly name = 'LocalQueryError';

  constructor(
    code: LocalQueryErrorCode,
    message: string,
    readonly detail: string = message,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
