import { createWriteStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FileType } from '@streampulse/formats';
import { LocalLake, type Lake } from '@streampulse/lake';

/**
 * A lake file made ready for DuckDB: plain UTF-8 bytes at a local path. DuckDB reads gzip itself,
 * but a truncated member reads as a shorter file without an error, and its UTF-8 check is its
 * own; so the host inflates and checks, and DuckDB sees only files that passed.
 */
export type StagedFile =
  | {
      readonly ok: true;
      readonly path: string;
      readonly firstChar: string | undefined;
      /**
       * The file may hold what DuckDB's CSV reader reads otherwise than the contract: white space
       * beside a quote, a quote inside an unquoted field, or an odd number of quotes (see
       * {@link StagingCheck}).
       */
      readonly unusualQuoting: boolean;
      /**
       * A U+FEFF (BOM) after the file's first bytes: DuckDB's readers drop it where the contract
       * keeps it as text, so such a file is read by the reference decoder.
       */
      readonly bomInside: boolean;
      /** White space before the first character: a `.json` file's reader drops it, DuckDB's does not. */
      readonly leadingWhitespace: boolean;
    }
  /** The bytes are not a readable file (gzip or UTF-8): the reference decoder names why. */
  | { readonly ok: false };

/** The first character after white space (as JavaScript's `\s` has it) and a BOM, if seen yet. */
class FirstCharacter {
  value: string | undefined;
  /** Some white space came before {@link value} (or there is only white space so far). */
  leadingWhitespace = false;
  #decoder = new TextDecoder('utf-8');
  #seen = 0;

  look(chunk: Uint8Array): void {
    if (this.value !== undefined || this.#seen > 1 << 20) return;
    let text = this.#decoder.decode(chunk, { stream: true });
    if (this.#seen === 0) text = text.replace(/^\uFEFF/, '');
    this.#seen += chunk.length;
    const found = /\S/.exec(text);
    if (found) {
      this.value = found[0];
      if (found.index > 0) this.leadingWhitespace = true;
    } else if (text.length > 0) {
      this.leadingWhitespace = true;
    }
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const SPACE = 0x20;
const TAB = 0x09;

/**
 * Passes bytes through, checking they are UTF-8 across chunk boundaries, and noting what DuckDB's
 * readers read otherwise than the contract, so that such a file is read by the reference decoder
 * instead: white space beside a quote (DuckDB drops it around a quoted field, ` "x"` reads as
 * `x`, where the contract reads an unquoted field or fails the file), a quote inside an unquoted
 * field, an odd quote count, a BOM past the start.
 */
class StagingCheck extends Transform {
  valid = true;
  spaceByQuote = false;
  /** Quote characters seen: an odd count may be a quote left open, which DuckDB reads to the end. */
  quotes = 0;
  /** A U+FEFF somewhere after the first byte (its UTF-8 bytes EF BB BF). */
  bomInside = false;
  /** Bytes of the file before the current chunk. */
  #position = 0;
  #tail: Buffer = Buffer.alloc(0);
  #carry: Buffer = Buffer.alloc(0);
  #last = 0;
  readonly first = new FirstCharacter();

  /**
   * A quote inside an unquoted field (neither side a field boundary, as in `c"d`): the contract's
   * reader and DuckDB's can then disagree on where a quoted field ends, even with an even count.
   */
  midFieldQuote = false;
  #bomAtStart = false;
  /** The byte before a quote that ended the previous chunk, waiting for the byte after it. */
  #pendingBefore: number | undefined | null = null;

  /** `delimiter`: the delimited file's delimiter byte; undefined for JSON. */
  constructor(private readonly delimiter: number | undefined) {
    super();
  }

  #isSpace(byte: number): boolean {
    return byte === SPACE || (this.delimiter === COMMA && byte === TAB);
  }

  /** Start or end of the file, a delimiter, a line end or another quote. */
  #isBoundary(byte: number | undefined): boolean {
    return byte === undefined || byte === this.delimiter || byte === LF || byte === CR || byte === QUOTE;
  }

  #quoteBetween(before: number | undefined, after: number | undefined): void {
    if (this.delimiter !== undefined && !this.#isBoundary(before) && !this.#isBoundary(after)) {
      this.midFieldQuote = true;
    }
  }

  #scanQuotes(chunk: Buffer): void {
    const previous = this.#last;
    const start = this.#position;
    if (start === 0 && chunk.subarray(0, BOM.length).equals(BOM)) this.#bomAtStart = true;
    if (this.#pendingBefore !== null && chunk.length > 0) {
      this.#quoteBetween(this.#pendingBefore, chunk[0]);
      this.#pendingBefore = null;
    }
    for (let at = chunk.indexOf(QUOTE); at !== -1; at = chunk.indexOf(QUOTE, at + 1)) {
      this.quotes += 1;
      const position = start + at;
      const fileStart = position === 0 || (position === 3 && this.#bomAtStart);
      const before = fileStart ? undefined : at > 0 ? (chunk[at - 1] as number) : previous;
      const after = chunk[at + 1];
      if ((before !== undefined && this.#isSpace(before)) || (after !== undefined && this.#isSpace(after))) {
        this.spaceByQuote = true;
      }
      if (after === undefined) this.#pendingBefore = before;
      else this.#quoteBetween(before, after);
    }
    // A quote that ended the previous chunk meets this chunk's first byte.
    if (!this.spaceByQuote && previous === QUOTE && chunk.length > 0 && this.#isSpace(chunk[0] as number)) {
      this.spaceByQuote = true;
    }
    if (chunk.length > 0) this.#last = chunk[chunk.length - 1] as number;
  }

  #scanBoms(chunk: Buffer): void {
    if (this.bomInside) return;
    // The last two bytes of the previous chunk meet this one: a BOM may span the boundary.
    const joined = this.#tail.length > 0 ? Buffer.concat([this.#tail, chunk]) : chunk;
    const base = this.#position - this.#tail.length;
    for (let at = joined.indexOf(BOM); at !== -1; at = joined.indexOf(BOM, at + 1)) {
      if (base + at > 0) {
        this.bomInside = true;
        return;
      }
    }
    this.#tail = Buffer.from(joined.subarray(Math.max(0, joined.length - 2)));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.first.look(chunk);
    this.#scanQuotes(chunk);
    this.#scanBoms(chunk);
    this.#position += chunk.length;
    const bytes = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    // Cut before a character that may continue in the next chunk (a lead byte within the last 3).
    let cut = bytes.length;
    for (let back = 1; back <= Math.min(3, bytes.length); back++) {
      const byte = bytes[bytes.length - back] as number;
      if ((byte & 0xc0) === 0x80) continue;
      const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      if (needs > back) cut = bytes.length - back;
      break;
    }
    if (this.valid && !isUtf8(bytes.subarray(0, cut))) this.valid = false;
    this.#carry = Buffer.from(bytes.subarray(cut));
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.#carry.length > 0) this.valid = false;
    // A quote that ended the file: the end of the file is a boundary.
    this.#pendingBefore = null;
    done();
  }
}

/** Inflates a gzip stream; an empty source is an empty file (zero records), not an error. */
async function* inflate(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  do first = await iterator.next();
  while (!first.done && first.value.length === 0);
  if (first.done) return;
  const head = first.value;
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const gunzip = createGunzip();
  const feeding = pipeline(all(), gunzip);
  // A bad member fails both the pipeline and the read below; whichever is met first is thrown,
  // and the other must not go unhandled (an unhandled rejection ends the process).
  feeding.catch(() => undefined);
  yield* gunzip as AsyncIterable<Uint8Array>;
  await feeding;
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * Stages one lake file under `scratchDir` as `name` (or, for an uncompressed file of a local
 * lake, checks it where it is). Errors of the lake pass through.
 */
export async function stageFile(
  lake: Lake,
  key: string,
  type: FileType,
  scratchDir: string,
  name: string,
): Promise<StagedFile> {
  const check = new StagingCheck(type.format === 'csv' ? COMMA : type.format === 'tsv' ? TAB : undefined);
  const inPlace = lake instanceof LocalLake && !type.gzip;
  const path = inPlace ? join(lake.root, ...key.split('/')) : join(scratchDir, name);
  const source = await lake.read(key);
  const bytes = type.gzip ? inflate(source) : source;
  try {
    // In place, only the check's verdict is wanted: its output goes nowhere.
    const sink = inPlace
      ? new Writable({ write: (_chunk, _encoding, done) => done() })
      : createWriteStream(path);
    await pipeline(bytes, check, sink);
  } catch (error) {
    if (isZlibError(error)) return { ok: false };
    throw error;
  }
  return check.valid
    ? {
        ok: true,
        path,
        firstChar: check.first.value,
        unusualQuoting: check.spaceByQuote || check.midFieldQuote || check.quotes % 2 === 1,
        bomInside: check.bomInside,
        leadingWhitespace: check.first.leadingWhitespace,
      }
    : { ok: false };
}
