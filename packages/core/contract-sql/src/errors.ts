import { StreamPulseError } from '@streampulse/errors';
/**
 * Why a plan could not be compiled.
 *
 * @example
 * const code: SqlPlanErrorCode = 'unsupported_pattern';
 */
export type SqlPlanErrorCode = 'unsupported_pattern' | 'invalid_day' | 'invalid_input' | 'invalid_plan';

/**
 * Raised when the contract cannot be compiled as asked (a rule the renderer cannot express, a bad
 * argument). Never raised by running the SQL: that is the engine's business.
 *
 * @example
 * try {
 *   compileAggregateSql(DUCKDB, { day: '2025-02-30' });
 * } catch (error) {
 *   if (error instanceof SqlPlanError && error.code === 'invalid_day') console.error(error.message);
 * }
 */
export class SqlPlanError extends StreamPulseError<SqlPlanErrorCode> {
  override readonly name = 'SqlPlanError';
}
