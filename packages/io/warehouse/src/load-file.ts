import { WAREHOUSE_TABLES, type ProcessedRow } from '@streampulse/schema';
import { LOAD_LOCK_SQL, mergeStagedRowsSql } from '@streampulse/contract-sql';
import type pg from 'pg';
import { COPY_COLUMNS } from './copy-text.js';
import { CopyTextWriter } from './copy-writer.js';
import { stageDirect } from './direct-load.js';
import {
  copyInto,
  failLoad,
  fileFailure,
  recordAndCommit,
  sourceFailure,
  type MergedCounts,
  type SourceState,
} from './file-transaction.js';
import { acquire, rollbackAndRelease } from './pool-client.js';

/**
 * One lake file to load. `rowsRead` and `rowsRejected` are read only after `rows` is exhausted,
 * so a caller that counts while it streams can expose them as getters.
 *
 * @example
 * const load: FileLoad = {
 *   key: object.key, etag: object.etag, size: object.size, rows: parsed.batches,
 *   get rowsRead() { return parsed.read; },
 *   get rowsRejected() { return parsed.rejected; },
 * };
 */
export interface FileLoad {
  key: string;
  etag: string;
  size: number;
  rowsRead: number;
  rowsRejected: number;
  /** The file's valid rows in file order, in batches of any size. */
  rows: AsyncIterable<ProcessedRow[]>;
}

/**
 * What a file load changed.
 *
 * @example
 * const { rowsLoaded, rowsInserted, eventDates } = await loadFile(pool, load); // 11, 11, ['2025-03-10']
 */
export interface FileLoadResult {
  /** Rows written: `rowsInserted + rowsReplaced`. */
  rowsLoaded: number;
  /** Rows of sessions the table did not hold. */
  rowsInserted: number;
  /** Rows that replaced a stored row of the same session (a strictly later `end_time`). */
  rowsReplaced: number;
  /**
   * Days whose rows changed, ascending: the event_date of every row inserted or replaced, and
   * the former event_date of a replaced row (its old day lost a session).
   */
  eventDates: string[];
}

const columns = COPY_COLUMNS.join(', ');

// LIKE keeps staging's types in step with the table, collation included: session_id is
// COLLATE "C" in both, so the dedupe sort compares bytes and lookups can use the primary key.
const createStagingSql = `
CREATE TEMP TABLE staging (LIKE ${WAREHOUSE_TABLES.processed}) ON COMMIT DROP;
ALTER TABLE staging ADD COLUMN seq bigint NOT NULL`;

/** PostgreSQL COPY formats a load streams: `text` (`copyLine`, `CopyTextWriter`) or `csv`. */
type CopyFormat = 'text' | 'csv';

/** COPY into staging, in the given format. */
const copySql = (format: CopyFormat): string =>
  `COPY staging (${columns}, seq) FROM STDIN (FORMAT ${format})`;

const mergeSql = mergeStagedRowsSql('staging', '$1');

/**
 * Loads one file's rows into `processed.processed_data` in one transaction, streaming them with
 * COPY (memory stays bounded by a few batches), and records the file in the ledger and its days
 * in `day_changes`. Within the file the latest `end_time` of a session wins (a tie: the first
 * row); across files a stored row is replaced only by a strictly later `end_time`. Loads
 * serialize on an advisory lock, so concurrent runs never interleave.
 *
 * If `rows` throws, nothing of the file stays and that same error is rethrown unchanged; any
 * other failure is a {@link WarehouseError} (`load_failed`, or a connection code).
 *
 * @example
 * const result = await loadFile(pool, {
 *   key: 'raw/playback/2025-03-10.csv', etag: '"9b2c"', size: 1042,
 *   rowsRead: 12, rowsRejected: 1, rows: batchesOf(validRows),
 * });
 * result.rowsLoaded; // 11
 */
export async function loadFile(
  pool: pg.Pool,
  load: FileLoad,
  options: { now?: () => Date } = {},
): Promise<FileLoadResult> {
  const staged = await stageFile(pool, load, options);
  return staged.commit();
}

/** A file's rows copied into its own transaction's staging table, not yet merged. */
export interface StagedFile {
  /**
   * Merges the staged rows into the table under the load lock, records the ledger and the
   * changed days, and commits. Call in key order: the tie rule depends on commit order.
   */
  commit(): Promise<FileLoadResult>;
  /** Rolls the staged rows back (nothing of the file stays). */
  abort(): Promise<void>;
}

/**
 * The first half of {@link loadFile}: opens the file's transaction and streams its rows in with
 * COPY, not yet committed. When the pool can lend a second connection (its `max` is 2 or more,
 * as by default) the transaction takes the load lock first and COPYs new sessions straight into
 * the table, each row written once; only rows of sessions already stored or already seen in the
 * file wait in a side table for `commit`'s merge. With a pool of one connection the rows go to a
 * staging table without the lock, and `commit` merges them all. Either way `commit` takes effect
 * one file at a time, in the order the caller calls it; a caller that stages the next file while
 * the previous one commits gets it staged as soon as the lock is free.
 *
 * @example
 * const staged = await stageFile(pool, load);
 * await previousCommit; // keep ascending key order
 * const result = await staged.commit();
 */
export async function stageFile(
  pool: pg.Pool,
  load: FileLoad,
  options: { now?: () => Date } = {},
): Promise<StagedFile> {
  if ((pool.options.max ?? 10) >= 2) return stageDirect(pool, load, options);
  return stageChunks(pool, load, 'text', (source) => copyChunks(load.rows, load.key, source), options);
}

/**
 * One lake file to load whose valid rows are already PostgreSQL COPY text: one line per row,
 * tab-separated, the columns of `COPY_COLUMNS` (see `copyLine`) then the row's order in the file
 * (any ascending integer), escaped as COPY's text format wants. An engine that produces rows
 * outside JavaScript (a DuckDB `COPY ... TO`) streams them through without building row objects.
 *
 * @example
 * const load: FileCopyLoad = {
 *   key: object.key, etag: object.etag, size: object.size, rowsRead: 12, rowsRejected: 1,
 *   copyText: createReadStream('/tmp/rows.copy'),
 * };
 */
export interface FileCopyLoad extends Omit<FileLoad, 'rows'> {
  /** The rows as COPY text bytes, in file order, in chunks of any size (lines may span chunks). */
  copyText: AsyncIterable<Uint8Array | string>;
  /**
   * `text` (the default): COPY's text format, as `copyLine` writes it. `csv`: COPY's CSV format
   * (comma-separated, `"` quotes doubled, an empty string quoted, no backslash escapes), the
   * same columns in the same order; what a CSV writer such as DuckDB's `COPY ... TO` produces.
   */
  format?: CopyFormat;
}

/**
 * {@link stageFile} for rows that are already COPY text ({@link FileCopyLoad}): the same
 * transaction, staging table, merge and ledger; the bytes go to COPY unchanged. If `copyText`
 * throws, nothing of the file stays and that same error is rethrown unchanged.
 *
 * @example
 * const staged = await stageCopyText(pool, { key, etag, size, rowsRead, rowsRejected, copyText });
 * const { rowsLoaded } = await staged.commit();
 */
export async function stageCopyText(
  pool: pg.Pool,
  load: FileCopyLoad,
  options: { now?: () => Date } = {},
): Promise<StagedFile> {
  return stageChunks(
    pool,
    load,
    load.format ?? 'text',
    (source) => passChunks(load.copyText, source),
    options,
  );
}

/** The staging transaction of {@link stageFile} around any source of COPY text chunks. */
async function stageChunks(
  pool: pg.Pool,
  load: Omit<FileLoad, 'rows'>,
  format: CopyFormat,
  chunks: (source: SourceState) => AsyncIterable<string | Uint8Array>,
  options: { now?: () => Date },
): Promise<StagedFile> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const client = await acquire(pool);
  const source: SourceState = {};
  const fail = (error: unknown): Promise<never> => failLoad(client, load.key, source, error);
  try {
    await client.query('BEGIN');
    // The dedupe sorts a whole file's rows: let it sort in memory rather than spill to disk.
    await client.query(`SET LOCAL work_mem = '64MB'`);
    await client.query(createStagingSql);
    await copyInto(client, copySql(format), chunks(source));
  } catch (error) {
    return fail(error);
  }
  let settled = false;
  return {
    async commit() {
      if (settled) throw new Error(`staged load of ${load.key} was already committed or aborted`);
      settled = true;
      try {
        await client.query(LOAD_LOCK_SQL);
        // Taken under the lock, just before the merge: as late as it can be before commit, so
        // an aggregation that started earlier sees this day as changed after it.
        const finishedAt = now();
        const merged = await client.query<MergedCounts>(mergeSql, [finishedAt]);
        return await recordAndCommit(client, load, merged.rows[0], { startedAt, finishedAt });
      } catch (error) {
        return fail(error);
      }
    },
    async abort() {
      if (settled) return;
      settled = true;
      await rollbackAndRelease(client);
    },
  };
}

/** COPY text chunks passed through as they are, remembering whether the caller's iterable threw. */
async function* passChunks(
  chunks: AsyncIterable<Uint8Array | string>,
  source: SourceState,
): AsyncGenerator<Uint8Array | string> {
  let iterator: AsyncIterator<Uint8Array | string>;
  try {
    iterator = chunks[Symbol.asyncIterator]();
  } catch (error) {
    throw sourceFailure(source, error);
  }
  let finished = false;
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array | string>;
      try {
        next = await iterator.next();
      } catch (error) {
        finished = true;
        throw sourceFailure(source, error);
      }
      if (next.done) {
        finished = true;
        return;
      }
      if (next.value.length > 0) yield next.value;
    }
  } finally {
    // COPY failed first: let the caller's iterable close its file.
    if (!finished) await iterator.return?.();
  }
}

/** The rows as COPY text, one chunk per batch, remembering whether the caller's iterable threw. */
async function* copyChunks(
  rows: AsyncIterable<ProcessedRow[]>,
  key: string,
  source: SourceState,
): AsyncGenerator<Uint8Array> {
  let iterator: AsyncIterator<ProcessedRow[]>;
  try {
    iterator = rows[Symbol.asyncIterator]();
  } catch (error) {
    throw sourceFailure(source, error);
  }
  const writer = new CopyTextWriter();
  let seq = 0;
  let finished = false;
  try {
    for (;;) {
      let next: IteratorResult<ProcessedRow[]>;
      try {
        next = await iterator.next();
      } catch (error) {
        finished = true;
        throw sourceFailure(source, error);
      }
      if (next.done) {
        finished = true;
        return;
      }
      const batch = next.value;
      if (batch.length === 0) continue;
      try {
        for (const row of batch) {
          writer.fields(row);
          writer.tab();
          writer.integer(seq++);
          writer.newline();
        }
      } catch (error) {
        // A row the writer refuses: the file is named, as for a value PostgreSQL refuses.
        throw fileFailure(key, error);
      }
      yield writer.take();
    }
  } finally {
    // COPY failed first: let the caller's iterable close its file.
    if (!finished) await iterator.return?.();
  }
}
