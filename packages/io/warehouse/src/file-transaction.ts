import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { messageOf } from '@streampulse/errors';
import { WAREHOUSE_TABLES } from '@streampulse/schema';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { WarehouseError } from './errors.js';
import { upsertLedger } from './ledger.js';
import type { FileLoad, FileLoadResult } from './load-file.js';
import { rollbackAndRelease } from './pool-client.js';

// What a file's load transaction does the same way whichever way its rows go in (staged or
// direct): tell the caller's failure apart from the database's, end a failed transaction, and
// record the merge's counts in the ledger before COMMIT.

/** Whether the caller's iterable threw, and what; boxed because a caller may throw `undefined`. */
export interface SourceState {
  failure?: { error: unknown };
}

/**
 * Remembers the caller's error and answers the one to throw into COPY: not the caller's error
 * itself, as pg-copy-streams reads `.message` of what destroys the stream (to send CopyFail) and
 * a caller may throw anything. {@link failLoad} rethrows the original.
 */
export function sourceFailure(source: SourceState, error: unknown): Error {
  source.failure = { error };
  return new Error('the rows of the file failed', { cause: error });
}

/**
 * Rolls the file's transaction back and throws: the caller's own error unchanged, a
 * `WarehouseError` as it is, anything else as a `WarehouseError` (`load_failed`) naming the file.
 */
export async function failLoad(
  client: pg.PoolClient,
  key: string,
  source: SourceState,
  error: unknown,
): Promise<never> {
  await rollbackAndRelease(client);
  if (source.failure) throw source.failure.error;
  if (error instanceof WarehouseError) throw error;
  throw fileFailure(key, error);
}

/**
 * A failure to load `key`, named so: a row the COPY writers refuse keeps its code
 * (`unstorable_value`, `load_failed`); anything else is `load_failed`.
 */
export function fileFailure(key: string, error: unknown): WarehouseError {
  return new WarehouseError(
    error instanceof WarehouseError ? error.code : 'load_failed',
    `loading ${key} into ${WAREHOUSE_TABLES.processed} failed: ${messageOf(error)}`,
    { cause: error },
  );
}

/** The one row a merge statement answers. */
export interface MergedCounts {
  rows_inserted: string;
  rows_replaced: string;
  event_dates: string[];
}

/** Records the merged file in the ledger, commits, and returns the client to the pool. */
export async function recordAndCommit(
  client: pg.PoolClient,
  load: Omit<FileLoad, 'rows'>,
  merged: MergedCounts | undefined,
  times: { startedAt: Date; finishedAt: Date },
): Promise<FileLoadResult> {
  const rowsInserted = Number(merged?.rows_inserted ?? 0);
  const rowsReplaced = Number(merged?.rows_replaced ?? 0);
  const rowsLoaded = rowsInserted + rowsReplaced;
  const eventDates = merged?.event_dates ?? [];
  await upsertLedger(client, {
    key: load.key,
    etag: load.etag,
    size: load.size,
    status: 'loaded',
    rowsRead: load.rowsRead,
    rowsLoaded,
    rowsRejected: load.rowsRejected,
    error: null,
    ...times,
  });
  await client.query('COMMIT');
  client.release();
  return { rowsLoaded, rowsInserted, rowsReplaced, eventDates };
}

/** Streams COPY data into `sql` on the client; at most one chunk waits for the socket. */
export async function copyInto(
  client: pg.PoolClient,
  sql: string,
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): Promise<void> {
  await pipeline(Readable.from(chunks, { highWaterMark: 1 }), client.query(copyFrom(sql)));
}
