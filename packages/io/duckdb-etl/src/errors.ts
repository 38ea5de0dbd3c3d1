/**
 * Why a DuckDB ETL run could not be done at all (a file that fails is reported, not thrown).
 *
 * @example
 * const code: DuckdbEtlErrorCode = 'duckdb_failed';
 */
export type DuckdbEtlErrorCode = 'input_not_found' | 'input_outside_playback' | 'duckdb_failed';

/**
 * Raised when a run cannot be done; lake and warehouse errors pass through as they are.
 *
 * @example
 * try {
 *   await runDuckdbEtl({ lake, pool, settings, inputs: ['raw/x.csv'] });
 * } catch (error) {
 *   if (error instanceof DuckdbEtlError && error.code === 'input_outside_playback') console.error(error.message);
 * }
 */
export class DuckdbEtlError extends Error {
  override readonly name = 'DuckdbEtlError';
  constructor(
    readonly code: DuckdbEtlErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
