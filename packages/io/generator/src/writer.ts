import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip } from 'node:zlib';

/**
 * Where generated files go: anything that stores a key's bytes from a stream. A `Lake` of
 * `@streampulse/lake` (local folder or S3) fits as is.
 *
 * @example
 * const writer: LakeWriter = openLake('s3://bucket/lake', { env: process.env });
 */
export interface LakeWriter {
  write(key: string, body: AsyncIterable<Uint8Array>): Promise<unknown>;
}

/**
 * A {@link LakeWriter} over a local folder: each key becomes a file under `root`, parent
 * folders created, written as a stream.
 *
 * @example
 * await localFolderWriter('./lake').write('raw/x/a.csv', chunks);
 */
export function localFolderWriter(root: string): LakeWriter {
  return {
    async write(key, body) {
      const path = join(root, ...key.split('/'));
      mkdirSync(dirname(path), { recursive: true });
      await pipeline(Readable.from(body), createWriteStream(path));
    },
  };
}

/** Text pieces batched into UTF-8 chunks of about `size` characters. */
export async function* utf8Chunks(pieces: Iterable<string>, size = 1 << 16): AsyncGenerator<Uint8Array> {
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= size) {
      yield Buffer.from(buffer, 'utf8');
      buffer = '';
    }
  }
  if (buffer.length > 0) yield Buffer.from(buffer, 'utf8');
}

/**
 * Gzips a byte stream. Node writes no name or modification time in the gzip header, so the
 * same input gives the same bytes.
 */
export function gzipChunks(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const gzip = createGzip({ level: constants.Z_DEFAULT_COMPRESSION });
  // pipeline destroys `gzip` with the source's error, so the reader sees it; nothing to do here.
  pipeline(Readable.from(source), gzip).catch(() => undefined);
  return gzip;
}

/** Passes a byte stream through, adding each chunk's length to `counter.bytes`. */
export async function* counted(
  source: AsyncIterable<Uint8Array>,
  counter: { bytes: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    counter.bytes += chunk.length;
    yield chunk;
  }
}
