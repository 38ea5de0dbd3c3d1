import { FileDecodeError } from './file-decode-error.js';

/**
 * Input pieces are cut to at most this many bytes before decoding, so one huge chunk from the
 * source still comes out as many small pieces of text (and the records as bounded batches).
 */
const MAX_PIECE_BYTES = 64 * 1024;

/**
 * Decodes a UTF-8 byte stream into pieces of text, stripping a leading BOM. A multi-byte
 * character may be split across chunks; any invalid sequence, also one left incomplete at the end,
 * throws {@link FileDecodeError} `invalid_utf8` (the contract fails such a file rather than
 * guessing its characters).
 */
export async function* utf8Text(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  // Not `ignoreBOM`: the decoder drops a BOM at the start of the stream, and only there.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  const decode = (piece?: Uint8Array): string => {
    try {
      return piece === undefined ? decoder.decode() : decoder.decode(piece, { stream: true });
    } catch (error) {
      // Offsets count the file's bytes after any gunzip.
      const where =
        piece === undefined
          ? `: the file ends inside a character (byte ${offset})`
          : ` in bytes ${offset}-${offset + piece.length - 1}`;
      throw new FileDecodeError('invalid_utf8', `invalid UTF-8${where}`, { cause: error });
    }
  };
  for await (const chunk of bytes) {
    for (let start = 0; start < chunk.length; start += MAX_PIECE_BYTES) {
      const piece = chunk.length <= MAX_PIECE_BYTES ? chunk : chunk.subarray(start, start + MAX_PIECE_BYTES);
      const text = decode(piece);
      offset += piece.length;
      if (text.length > 0) yield text;
    }
  }
  const tail = decode();
  if (tail.length > 0) yield tail;
}
