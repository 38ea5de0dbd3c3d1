import { StreamPulseError } from '@streampulse/errors';
/**
 * Why a file could not be read to its end.
 *
 * @example
 * const reason: FileDecodeErrorCode = error.code; // e.g. 'truncated_gzip'
 */
export type FileDecodeErrorCode =
  'truncated_gzip' | 'invalid_gzip' | 'invalid_utf8' | 'broken_json' | 'csv_quote_error';

/**
 * A file that cannot be read to its end: the contract loads such a file all or nothing, so the
 * caller reports it as failed and keeps none of the records it has already seen. Thrown from the
 * iteration of {@link decodeFile}; the message names the problem and, where known, the row.
 *
 * @example
 * try {
 *   for await (const batch of decodeFile(source, type)) consume(batch);
 * } catch (error) {
 *   if (error instanceof FileDecodeError) reportFailed(key, error.code, error.message);
 *   else throw error;
 * }
 */
export class FileDecodeError extends StreamPulseError<FileDecodeErrorCode> {
  override readonly name = 'FileDecodeError';
  /** The 1-based record (as numbered in {@link DecodedRecord}) where reading broke, when known. */
  readonly row?: number;

  constructor(code: FileDecodeErrorCode, message: string, options: { row?: number; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    if (options.row !== undefined) this.row = options.row;
  }
}
