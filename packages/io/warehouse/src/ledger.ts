import type pg from 'pg';
import { withClient } from './pool-client.js';

/**
 * Outcome of a file recorded in `processed.file_ledger`.
 *
 * @example
 * const retry = (await ledgerEntry(pool, key))?.status === 'failed';
 */
export type LedgerStatus = 'loaded' | 'failed';

/**
 * What the warehouse knows about one lake file. Counts are `null` for a failed file: it was
 * never read to the end.
 *
 * @example
 * const entry: LedgerEntry | undefined = await ledgerEntry(pool, 'raw/playback/2025-03-10.csv');
 * console.log(entry?.status, entry?.rowsLoaded, entry?.finishedAt.toISOString());
 */
export interface LedgerEntry {
  key: string;
  etag: string;
  size: number;
  status: LedgerStatus;
  rowsRead: number | null;
  rowsLoaded: number | null;
  rowsRejected: number | null;
  /** Why the file failed; `null` when it loaded. */
  error: string | null;
  startedAt: Date;
  finishedAt: Date;
}

/**
 * A failed file for {@link recordFileFailure}.
 *
 * @example
 * const failure: FileFailure = { key, etag, size, error: 'gzip: unexpected end of file' };
 */
export interface FileFailure {
  key: string;
  etag: string;
  size: number;
  error: string;
}

const upsertSql = `
INSERT INTO processed.file_ledger AS l
  (key, etag, size, status, rows_read, rows_loaded, rows_rejected, error, started_at, finished_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (key) DO UPDATE SET
  etag = excluded.etag, size = excluded.size, status = excluded.status,
  rows_read = excluded.rows_read, rows_loaded = excluded.rows_loaded, rows_rejected = excluded.rows_rejected,
  error = excluded.error, started_at = excluded.started_at, finished_at = excluded.finished_at`;

/** Writes a file's ledger row, replacing what an earlier attempt wrote. */
export async function upsertLedger(client: pg.ClientBase, entry: LedgerEntry): Promise<void> {
  await client.query(upsertSql, [
    entry.key,
    entry.etag,
    entry.size,
    entry.status,
    entry.rowsRead,
    entry.rowsLoaded,
    entry.rowsRejected,
    entry.error,
    entry.startedAt,
    entry.finishedAt,
  ]);
}

/**
 * Records that a file could not be loaded, so the next run retries it (it is not in
 * {@link loadedEtags}). Replaces the file's earlier entry; rows an earlier version of the file
 * loaded stay in the table.
 *
 * @example
 * await recordFileFailure(pool, { key: 'raw/playback/2025-03-10.csv', etag: '"9b2c"', size: 1042, error: 'not UTF-8' });
 */
export async function recordFileFailure(
  pool: pg.Pool,
  entry: FileFailure,
  options: { now?: () => Date } = {},
): Promise<void> {
  const at = (options.now ?? (() => new Date()))();
  await withClient(pool, (client) =>
    upsertLedger(client, {
      ...entry,
      status: 'failed',
      rowsRead: null,
      rowsLoaded: null,
      rowsRejected: null,
      startedAt: at,
      finishedAt: at,
    }),
  );
}

interface LedgerRow {
  key: string;
  etag: string;
  size: string;
  status: LedgerStatus;
  rows_read: string | null;
  rows_loaded: string | null;
  rows_rejected: string | null;
  error: string | null;
  started_at: Date;
  finished_at: Date;
}

// bigint arrives as text (it may exceed 2^53); ledger counts and sizes never do.
const count = (value: string | null): number | null => (value === null ? null : Number(value));

/**
 * The ledger entry of one file, or `undefined` when the warehouse has never seen it.
 *
 * @example
 * const entry = await ledgerEntry(pool, 'raw/playback/2025-03-10.csv');
 * if (entry?.status === 'failed') console.log(entry.error);
 */
export async function ledgerEntry(pool: pg.Pool, key: string): Promise<LedgerEntry | undefined> {
  const result = await withClient(pool, (client) =>
    client.query<LedgerRow>(
      `SELECT key, etag, size, status, rows_read, rows_loaded, rows_rejected, error, started_at, finished_at
         FROM processed.file_ledger WHERE key = $1`,
      [key],
    ),
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    key: row.key,
    etag: row.etag,
    size: Number(row.size),
    status: row.status,
    rowsRead: count(row.rows_read),
    rowsLoaded: count(row.rows_loaded),
    rowsRejected: count(row.rows_rejected),
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/**
 * Key -> ETag of every file loaded successfully: a file whose key and ETag are here needs no
 * new load.
 *
 * @example
 * const loaded = await loadedEtags(pool);
 * const todo = objects.filter((o) => loaded.get(o.key) !== o.etag);
 */
export async function loadedEtags(pool: pg.Pool): Promise<Map<string, string>> {
  const result = await withClient(pool, (client) =>
    client.query<{ key: string; etag: string }>(
      `SELECT key, etag FROM processed.file_ledger WHERE status = 'loaded'`,
    ),
  );
  return new Map(result.rows.map((row) => [row.key, row.etag]));
}
