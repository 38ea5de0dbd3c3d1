import { WAREHOUSE_TABLES, type ProcessedRow } from '@streampulse/schema';
import { LOAD_LOCK_SQL, mergeSideRowsSql } from '@streampulse/contract-sql';
import type pg from 'pg';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER, CopyBinaryWriter, readTuples } from './copy-binary.js';
import { COPY_COLUMNS } from './copy-text.js';
import {
  copyInto,
  failLoad,
  fileFailure,
  recordAndCommit,
  sourceFailure,
  type MergedCounts,
  type SourceState,
} from './file-transaction.js';
import type { FileLoad, StagedFile } from './load-file.js';
import { acquire, rollbackAndRelease } from './pool-client.js';
import { DayCounts } from './day-counts.js';
import { RowEncoder, type EncodedBatch } from './row-encoder.js';

// A direct load COPYs a file's rows straight into the processed table, each new row written once,
// which is what PostgreSQL's own COPY costs. Two kinds of row cannot go straight in, and wait in a
// side table for one small merge at the end (`mergeSideRowsSql`): a row whose session the file
// already showed (a resend: the merge keeps the latest end, the first row on a tie), and a row
// whose session the table held before the file (the strictly-later rule). The first kind is told
// apart in Node by the session ids seen so far; the second shows up as a unique violation, which
// costs one chunk of rows: the chunk is rolled back to its savepoint, its stored sessions are
// looked up, and it goes in again without them. The load lock is held from the start, so no
// other load can add a session meanwhile, and a second connection (outside this transaction)
// sees the table exactly as it was before the file: it tells which side sessions were stored.

/** COPY bytes a chunk holds before it is committed to its savepoint: the memory a retry needs. */
const CHUNK_BYTES = 2 * 1024 * 1024;

/** Side rows held in Node before they are written to the side table. */
const SIDE_ROWS = 4096;

const columns = COPY_COLUMNS.join(', ');
const SIDE_TABLE = 'side_rows';
const createSideSql = `
CREATE TEMP TABLE ${SIDE_TABLE} (LIKE ${WAREHOUSE_TABLES.processed}) ON COMMIT DROP;
ALTER TABLE ${SIDE_TABLE} ADD COLUMN seq bigint NOT NULL, ADD COLUMN stored boolean NOT NULL`;
// Binary: PostgreSQL reads binary values with no parsing, a sixth less of its time than text.
const copyDirectSql = `COPY ${WAREHOUSE_TABLES.processed} (${columns}) FROM STDIN (FORMAT binary)`;
const copySideSql = `COPY ${SIDE_TABLE} (${columns}, seq, stored) FROM STDIN (FORMAT binary)`;
const storedSql = `SELECT session_id FROM ${WAREHOUSE_TABLES.processed} WHERE session_id = ANY($1::text[])`;
const mergeSql = mergeSideRowsSql(SIDE_TABLE, {
  changedAt: '$1',
  directDays: '$2',
  directCounts: '$3',
  directRows: '$4',
});

/** A row that goes to the side table; `stored` is looked up before it is written. */
interface SideRow {
  key: string;
  /** A binary COPY tuple of the 11 processed columns, in a buffer of its own. */
  tuple: Uint8Array;
  seq: number;
  stored?: boolean;
}

/**
 * A side row holding a copy of its key. V8 keeps a substring as a view of the string it was cut
 * from, so a session id decoded from a file would keep its whole block of file text (64 KiB)
 * alive for as long as the side rows wait: at 10M sessions one file's 485 waiting side rows held
 * 29 MB of text, half the heap. Its tuple is already a buffer of its own.
 */
function sideRow(row: { key: string; tuple: Uint8Array; seq: number }, stored?: boolean): SideRow {
  return { key: detached(row.key), tuple: row.tuple, seq: row.seq, stored };
}

function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/**
 * The rows of one chunk sent straight to the table, held until the chunk is committed to its
 * savepoint: their COPY tuples as they were sent (bytes, outside the garbage-collected heap) and
 * their order in the file; a retry reads the rows back from the tuples.
 */
class DirectChunk {
  #parts: Uint8Array[] = [];
  #seqs: Float64Array[] = [];
  bytes = 0;
  count = 0;
  readonly days = new DayCounts();

  clear(): void {
    this.#parts = [];
    this.#seqs = [];
    this.bytes = 0;
    this.count = 0;
    this.days.clear();
  }

  add(batch: EncodedBatch): void {
    this.#parts.push(batch.direct);
    this.#seqs.push(batch.seqs);
    this.bytes += batch.direct.length;
    this.count += batch.seqs.length;
    this.days.addCounts(batch.days, batch.dayCounts);
  }

  /** The rows back from their tuples, in file order. */
  rows(): { key: string; tuple: Uint8Array; seq: number; day: string }[] {
    const seqs = this.#seqs.flatMap((part) => [...part]);
    return [...readTuples(Buffer.concat(this.#parts))].map((row, i) => ({ ...row, seq: seqs[i] as number }));
  }
}

/**
 * One lake file to load whose rows are already encoded ({@link EncodedBatch}, by a
 * {@link RowEncoder} of its own, in file order). `rowsRead` and `rowsRejected` are read after
 * `batches` ends.
 */
export interface EncodedFileLoad extends Omit<FileLoad, 'rows'> {
  batches: AsyncIterable<EncodedBatch>;
}

/**
 * {@link stageFile}'s load when the pool can lend a second connection: the file's transaction
 * takes the load lock first and COPYs the rows into the table as they stream; `commit` merges the
 * side rows, records the ledger and the days, and commits. Same rules, results and errors as the
 * staged load.
 */
export async function stageDirect(
  pool: pg.Pool,
  load: FileLoad,
  options: { now?: () => Date } = {},
): Promise<StagedFile> {
  // Not a spread: it would read the counts now, before the rows are done.
  return stageEncoded(
    pool,
    Object.assign(withoutRows(load), { batches: encoded(load.rows, load.key) }),
    options,
  );
}

/** The counts of a load as getters, so they are read when the rows are done, not now. */
function withoutRows(load: FileLoad): Omit<FileLoad, 'rows'> {
  return {
    key: load.key,
    etag: load.etag,
    size: load.size,
    get rowsRead() {
      return load.rowsRead;
    },
    get rowsRejected() {
      return load.rowsRejected;
    },
  };
}

async function* encoded(rows: AsyncIterable<ProcessedRow[]>, key: string): AsyncGenerator<EncodedBatch> {
  const encoder = new RowEncoder();
  for await (const batch of rows) {
    if (batch.length === 0) continue;
    let encodedBatch: EncodedBatch;
    try {
      encodedBatch = encoder.encode(batch);
    } catch (error) {
      // A row the encoder refuses: the file is named, as for a value PostgreSQL refuses.
      throw fileFailure(key, error);
    }
    yield encodedBatch;
  }
}

/**
 * The direct load of rows already encoded (see {@link EncodedFileLoad}). Kept apart from the
 * encoding so the loader deals in bytes only; if `batches` throws, nothing of the file stays and
 * that same error is rethrown unchanged.
 */
export async function stageEncoded(
  pool: pg.Pool,
  load: EncodedFileLoad,
  options: { now?: () => Date } = {},
): Promise<StagedFile> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const client = await acquire(pool);
  let lookup: pg.PoolClient | undefined;
  const source: SourceState = {};
  const fail = (error: unknown): Promise<never> => {
    lookup?.release();
    lookup = undefined;
    return failLoad(client, load.key, source, error);
  };

  let iterator: AsyncIterator<EncodedBatch> | undefined;
  let finished = false;
  /** The caller's next batch, its failure remembered apart from COPY's own. */
  const next = async (): Promise<EncodedBatch | undefined> => {
    try {
      iterator ??= load.batches[Symbol.asyncIterator]();
      const result = await iterator.next();
      if (!result.done) return result.value;
      finished = true;
      return undefined;
    } catch (error) {
      finished = true;
      throw sourceFailure(source, error);
    }
  };
  /** Which of `keys` the table held before this file: asked outside this transaction. */
  const storedAmong = async (keys: string[]): Promise<Set<string>> => {
    if (keys.length === 0) return new Set();
    lookup ??= await acquire(pool);
    const result = await lookup.query<{ session_id: string }>(storedSql, [keys]);
    return new Set(result.rows.map((r) => r.session_id));
  };

  const dayCounts = new DayCounts();
  const chunk = new DirectChunk();
  let directRows = 0;
  let savepoint = false;
  try {
    await client.query('BEGIN');
    await client.query(LOAD_LOCK_SQL);
    // The side merge sorts the side rows: in memory rather than on disk.
    await client.query(`SET LOCAL work_mem = '64MB'`);
    await client.query(createSideSql);
    // Side rows wait in Node across chunks (they are few: a resend or a stored session), and go
    // to the side table in one COPY at the end, or whenever SIDE_ROWS have gathered.
    let side: SideRow[] = [];
    const flushSide = async (): Promise<void> => {
      const unknown = side.filter((row) => row.stored === undefined);
      if (unknown.length > 0) {
        const stored = await storedAmong(unknown.map((row) => row.key));
        for (const row of unknown) row.stored = stored.has(row.key);
      }
      if (side.length > 0) await copyInto(client, copySideSql, sideTuples(side));
      side = [];
    };
    let first = await next();
    while (first) {
      chunk.clear();
      await client.query(savepoint ? 'RELEASE SAVEPOINT chunk; SAVEPOINT chunk' : 'SAVEPOINT chunk');
      savepoint = true;
      // The batch after this chunk, once the chunk has taken all it takes (`ended`).
      let following: EncodedBatch | undefined;
      let ended = false;
      const sendChunk = async function* (): AsyncGenerator<Uint8Array> {
        yield COPY_BINARY_HEADER;
        let batch: EncodedBatch | undefined = first;
        while (batch) {
          for (const repeat of batch.repeats) side.push(sideRow(repeat));
          chunk.add(batch);
          if (batch.direct.length > 0) yield batch.direct;
          if (chunk.bytes >= CHUNK_BYTES) {
            following = await next();
            break;
          }
          batch = await next();
        }
        ended = true;
        yield COPY_BINARY_TRAILER;
      };
      const sending = sendChunk();
      try {
        await copyInto(client, copyDirectSql, sending);
      } catch (error) {
        // A batch being read when COPY failed is still taken into the chunk: wait for it.
        await sending.return(undefined);
        if (source.failure || !isStoredSessionConflict(error)) throw error;
        // Some session of the chunk was stored before the file: the chunk goes in again without them.
        await client.query('ROLLBACK TO SAVEPOINT chunk');
        if (!ended) following = await next();
        const rows = chunk.rows();
        const stored = await storedAmong(rows.map((row) => row.key));
        const again: Uint8Array[] = [];
        chunk.days.clear();
        for (const row of rows) {
          if (stored.has(row.key)) side.push(sideRow(row, true));
          else {
            again.push(row.tuple);
            chunk.days.add(row.day);
          }
        }
        chunk.count = again.length;
        if (again.length > 0) await copyInto(client, copyDirectSql, binaryCopy(again));
      }
      dayCounts.addAll(chunk.days);
      directRows += chunk.count;
      if (side.length >= SIDE_ROWS) await flushSide();
      first = following;
    }
    await flushSide();
    lookup?.release();
    lookup = undefined;
  } catch (error) {
    if (!finished) await iterator?.return?.().catch(() => undefined);
    return fail(error);
  }

  let settled = false;
  return {
    async commit() {
      if (settled) throw new Error(`staged load of ${load.key} was already committed or aborted`);
      settled = true;
      try {
        // Taken just before the merge: as late as it can be before commit, so an aggregation that
        // started earlier sees this day as changed after it.
        const finishedAt = now();
        const [days, counts] = dayCounts.arrays();
        const merged = await client.query<MergedCounts>(mergeSql, [finishedAt, days, counts, directRows]);
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

/** Whether a COPY failed because a session it sent was already in the table. */
function isStoredSessionConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, schema, table } = error as { code?: unknown; schema?: unknown; table?: unknown };
  return code === '23505' && `${String(schema)}.${String(table)}` === WAREHOUSE_TABLES.processed;
}

/** One binary COPY of `tuples`, sent in pieces of 2,048 tuples. */
function* binaryCopy(tuples: readonly Uint8Array[]): Generator<Uint8Array> {
  yield COPY_BINARY_HEADER;
  const writer = new CopyBinaryWriter();
  for (let i = 0; i < tuples.length; i += 2048) {
    for (const tuple of tuples.slice(i, i + 2048)) writer.copyOf(tuple);
    yield writer.take();
  }
  yield COPY_BINARY_TRAILER;
}

/** One binary COPY of the side rows: their tuples, then `seq` and `stored`. */
function* sideTuples(rows: readonly SideRow[]): Generator<Uint8Array> {
  yield COPY_BINARY_HEADER;
  const writer = new CopyBinaryWriter();
  for (let i = 0; i < rows.length; i += 2048) {
    for (const row of rows.slice(i, i + 2048)) writer.tupleWith(row.tuple, row.seq, row.stored === true);
    yield writer.take();
  }
  yield COPY_BINARY_TRAILER;
}
