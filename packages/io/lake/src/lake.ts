/**
 * One stored object. Keys are always relative to the lake root and use '/'.
 *
 * @example
 * const object: LakeObject = { key: 'raw/playback/dt=2025-03-10/part-0001.csv', size: 1024, etag: '9b2cf535f27731c974343645a3985328' };
 */
export interface LakeObject {
  readonly key: string;
  readonly size: number;
  /** Changes whenever the object is rewritten: the S3 ETag without quotes, or size, mtime and inode for a file. */
  readonly etag: string;
  /** When the object was last written, where the lake knows it (listings give it). */
  readonly lastModified?: Date;
}

/**
 * What a body may be: bytes, text (written as UTF-8) or a stream of byte chunks of any length.
 *
 * @example
 * const body: LakeBody = createReadStream('big.csv.gz');
 */
export type LakeBody = Uint8Array | string | AsyncIterable<Uint8Array>;

/**
 * Options of `Lake.write`.
 *
 * @example
 * await lake.write('reports/today.csv', csv, { contentType: 'text/csv' });
 */
export interface WriteOptions {
  /** Stored as the S3 Content-Type; a local lake has nowhere to keep it and ignores it. */
  contentType?: string;
}

/**
 * Options of `Lake.read`.
 *
 * @example
 * const head = await lake.read('raw/playback/a.csv.gz', { range: { start: 0, end: 65_535 } });
 */
export interface ReadOptions {
  /**
   * Only the bytes from `start` (0-based) through `end` (inclusive, as in HTTP; default the last
   * byte). A range that starts past the end reads nothing; one that runs past it reads what there is.
   */
  range?: { start: number; end?: number };
}

/**
 * Options of `Lake.deletePrefix`.
 *
 * @example
 * await lake.deletePrefix('analytics/daily_aggregates/year=2025/month=03/day=10', { keep: partKey });
 */
export interface DeletePrefixOptions {
  /** A key under the prefix to leave in place (e.g. the object just written). */
  keep?: string;
}

/**
 * The data lake behind one interface: a local folder (`LocalLake`) or an S3 bucket and prefix (`S3Lake`).
 * A prefix names a folder: `raw/x` and `raw/x/` both mean every object whose key starts with `raw/x/`,
 * and `''` means the whole lake.
 *
 * @example
 * const lake = openLake(process.argv[2] ?? './lake', { env: process.env });
 * for await (const object of lake.list('raw/playback')) {
 *   for await (const chunk of await lake.read(object.key)) process.stdout.write(chunk);
 * }
 */
export interface Lake {
  /** The root: an absolute path or 's3://bucket/prefix'. */
  readonly root: string;
  /** Every object under `prefix`, recursively, in ascending code-unit key order. A missing prefix lists nothing. */
  list(prefix: string): AsyncIterable<LakeObject>;
  /** Metadata of one key, or undefined when absent. */
  stat(key: string): Promise<LakeObject | undefined>;
  /**
   * The object's bytes as a stream; a missing key rejects with `LakeError` code 'not_found'.
   * Iterate it to the end or break out of the loop: that releases the file or connection.
   */
  read(key: string, options?: ReadOptions): Promise<AsyncIterable<Uint8Array>>;
  /**
   * Writes atomically: readers see the old object or the new one, never a part. When a stream body
   * fails, nothing is written and its error is rethrown as is.
   */
  write(key: string, body: LakeBody, options?: WriteOptions): Promise<LakeObject>;
  /** Removes a key; removing an absent key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Removes every object under `prefix` (but `options.keep`) and returns how many it removed; S3
   * removes up to 1,000 keys per request. A prefix holding nothing removes 0.
   */
  deletePrefix(prefix: string, options?: DeletePrefixOptions): Promise<number>;
  /**
   * A local folder that mirrors `prefix`, for engines that read files (e.g. DuckDB): for a local lake the
   * real folder, for S3 a fresh download into a new folder inside `scratchDir` (the caller removes it).
   * Returns the folder path; the folder exists even when the prefix holds nothing.
   */
  materialize(prefix: string, scratchDir: string): Promise<string>;
}
