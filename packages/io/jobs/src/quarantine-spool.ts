import { appendFileSync, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Lines kept in memory before they move to the spool's file: 1 MiB of JSON text. */
const DEFAULT_MEMORY_BYTES = 1 << 20;

/**
 * Options of {@link QuarantineSpool}.
 *
 * @example
 * const options: QuarantineSpoolOptions = { scratchDir: '/var/tmp', memoryBytes: 4 << 20 };
 */
export interface QuarantineSpoolOptions {
  /** Where the spool's file goes once the lines outgrow memory (default: the system's temp folder). */
  readonly scratchDir?: string;
  /** How many bytes of lines stay in memory before they are appended to the file (default 1 MiB). */
  readonly memoryBytes?: number;
}

/**
 * One file's quarantine lines, held until its rows commit (a failed file must leave none behind)
 * in bounded memory: past `memoryBytes` they are appended to a scratch file, and {@link body}
 * streams them back in order. A file of a million rejected rows then costs a megabyte of memory,
 * not hundreds. Lines are appended synchronously because rejections are reported by a
 * synchronous callback in the middle of a batch; each append writes a whole megabyte.
 *
 * @example
 * const spool = new QuarantineSpool();
 * spool.add('{"row":2,"reason":"missing_user_id"}');
 * await lake.write(key, spool.body());
 * spool.dispose();
 */
export class QuarantineSpool {
  readonly #scratchDir: string;
  readonly #memoryBytes: number;
  #pending: string[] = [];
  #pendingBytes = 0;
  #folder: string | undefined;
  #lines = 0;

  constructor(options: QuarantineSpoolOptions = {}) {
    this.#scratchDir = options.scratchDir ?? tmpdir();
    this.#memoryBytes = options.memoryBytes ?? DEFAULT_MEMORY_BYTES;
  }

  /** How many lines were added. */
  get lines(): number {
    return this.#lines;
  }

  /** Bytes of lines held in memory now (at most about `memoryBytes`); for tests and logs. */
  get bytesInMemory(): number {
    return this.#pendingBytes;
  }

  /** Adds one line (without its newline). */
  add(line: string): void {
    this.#pending.push(line);
    this.#pendingBytes += Buffer.byteLength(line) + 1;
    this.#lines += 1;
    if (this.#pendingBytes >= this.#memoryBytes) this.#spill();
  }

  /** Every line added, each ending in a newline: one string while they fit in memory, else a stream. */
  body(): string | AsyncIterable<Uint8Array> {
    if (this.#folder === undefined) return this.#pending.map((line) => `${line}\n`).join('');
    this.#spill();
    return createReadStream(this.#file());
  }

  /** Removes the scratch file, if the lines ever needed one. */
  dispose(): void {
    if (this.#folder !== undefined) rmSync(this.#folder, { recursive: true, force: true });
    this.#folder = undefined;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #file(): string {
    this.#folder ??= mkdtempSync(join(this.#scratchDir, 'streampulse-quarantine-'));
    return join(this.#folder, 'lines.jsonl');
  }

  #spill(): void {
    if (this.#pending.length === 0) return;
    appendFileSync(this.#file(), this.#pending.map((line) => `${line}\n`).join(''));
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
