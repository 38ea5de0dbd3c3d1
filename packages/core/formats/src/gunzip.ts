import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FileDecodeError } from './file-decode-error.js';

/**
 * Decompresses a gzip byte stream (several concatenated members are fine), with back-pressure.
 * zlib's errors become {@link FileDecodeError}s; an error of the source itself (broken IO) passes
 * through untouched, since the file may well be fine.
 *
 * A source without a single byte is an empty file, which the contract reads as zero records, so it
 * yields nothing instead of failing as zlib would.
 */
export async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  do first = await iterator.next();
  while (!first.done && first.value.length === 0);
  if (first.done) return;
  const firstChunk = first.value;

  async function* rest(): AsyncGenerator<Uint8Array> {
    yield firstChunk;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }

  // The pipeline's callback is required; the error also reaches the loop below, which handles it.
  const inflated = pipeline(rest(), createGunzip(), () => {});
  try {
    for await (const chunk of inflated as AsyncIterable<Uint8Array>) yield chunk;
  } catch (error) {
    throw asGzipError(error);
  } finally {
    // Reached early when the consumer stops: stop zlib and release the source.
    inflated.destroy();
    await iterator.return?.();
  }
}

function asGzipError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return error;
  if (code === 'Z_BUF_ERROR') {
    return new FileDecodeError('truncated_gzip', 'gzip data ends early (truncated)', { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new FileDecodeError('invalid_gzip', `not valid gzip data (${reason})`, { cause: error });
}
