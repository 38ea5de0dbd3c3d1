import { StreamPulseError } from '@streampulse/errors';

/**
 * Why the embedded server could not be used.
 *
 * @example
 * const code: EmbeddedPostgresErrorCode = 'embedded_failed';
 */
export type EmbeddedPostgresErrorCode = 'embedded_failed';

/**
 * The one error this package throws: the embedded server could not be found, set up, started or
 * stopped. Messages name the data folder, the binary or the port involved.
 *
 * @example
 * try {
 *   await startEmbeddedPostgres({ dataDir: '.streampulse/postgres' });
 * } catch (error) {
 *   if (error instanceof EmbeddedPostgresError) console.error(error.message);
 * }
 */
export class EmbeddedPostgresError extends StreamPulseError<EmbeddedPostgresErrorCode> {
  override readonly name = 'EmbeddedPostgresError';
}
