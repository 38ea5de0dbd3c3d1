import { StreamPulseError } from '@streampulse/errors';
/**
 * Why a warehouse operation failed; callers branch on this, never on the message.
 *
 * @example
 * const retryable: WarehouseErrorCode[] = ['unreachable'];
 */
export type WarehouseErrorCode =
  | 'unreachable'
  | 'auth_failed'
  | 'bad_url'
  | 'database_missing'
  | 'migration_failed'
  | 'load_failed'
  /** A row holds a value PostgreSQL cannot store (a NUL character): the file's data, not the database. */
  | 'unstorable_value'
  | 'embedded_failed';

/**
 * The one error type this package throws (apart from a caller's own error, which `loadFile`
 * rethrows unchanged). Messages name the host, database or setting involved and never hold a
 * password.
 *
 * @example
 * try {
 *   await connectWarehouse(url);
 * } catch (error) {
 *   if (error instanceof WarehouseError && error.code === 'unreachable') console.error(error.message);
 * }
 */
export class WarehouseError extends StreamPulseError<WarehouseErrorCode> {
  override readonly name = 'WarehouseError';
}
