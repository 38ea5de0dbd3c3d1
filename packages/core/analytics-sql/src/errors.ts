import { StreamPulseError } from '@streampulse/errors';
/**
 * Why SQL could not be generated; callers branch on this, never on the message.
 *
 * @example
 * const code: AnalyticsSqlErrorCode = 'invalid_location';
 */
export type AnalyticsSqlErrorCode = 'invalid_location' | 'invalid_years';

/**
 * The one error this package throws: a setting the generated SQL cannot hold. The message names
 * the setting and its value.
 *
 * @example
 * try {
 *   athenaStatements({ bucket: 'lake', prefix: "it's" });
 * } catch (error) {
 *   if (error instanceof AnalyticsSqlError) console.error(error.code, error.message);
 * }
 */
export class AnalyticsSqlError extends StreamPulseError<AnalyticsSqlErrorCode> {
  override readonly name = 'AnalyticsSqlError';
}
