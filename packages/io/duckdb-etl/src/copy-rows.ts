import type { DuckDBConnection } from '@duckdb/node-api';
import { REJECTION_REASONS, type RejectionReason } from '@streampulse/schema';
import type { PlaybackFileCounts } from '@streampulse/transform';

// A file's valid rows leave DuckDB as PostgreSQL COPY text, written by DuckDB to a scratch file
// and streamed into the warehouse's staging COPY as bytes: no row becomes a JavaScript value.
// The text is exactly the warehouse's `copyLine` (same escapes, same instant and minute texts);
// a file holding a value `copyLine` would refuse or print otherwise (NULL, NUL, an instant
// outside years 1..9999, a negative duration) is loaded through row objects instead, so it
// fails or loads exactly as the default engine's rows do.

/** The text columns of a valid row, in `COPY_COLUMNS` order. */
const TEXT_COLUMNS = ['session_id', 'user_id', 'content_id', 'title', 'genre', 'region', 'device_type'];
/** Epoch milliseconds `copyLine` accepts: years 1 to 9999. */
const MIN_INSTANT = -62_135_596_800_000;
const MAX_INSTANT = 253_402_300_799_999;

/** COPY text escapes (backslash first, so the escapes it adds stay single). */
function escaped(column: string): string {
  return String.raw`replace(replace(replace(replace(${column}, '\', '\\'), chr(9), '\t'), chr(10), '\n'), chr(13), '\r')`;
}

function instant(column: string): string {
  return `strftime(epoch_ms(CAST(${column} AS BIGINT)), '%Y-%m-%dT%H:%M:%S.%gZ')`;
}

/** One row's COPY text line, without its newline (DuckDB's writer ends each line). */
const COPY_LINE = [
  ...TEXT_COLUMNS.map(escaped),
  instant('start_ms'),
  instant('end_ms'),
  `CAST(duration_hundredths // 100 AS VARCHAR) || '.' || lpad(CAST(duration_hundredths % 100 AS VARCHAR), 2, '0')`,
  escaped('event_date'),
  // The row number orders the file's rows as `seq` would: only their order counts in the dedupe.
  'CAST(row_num AS VARCHAR)',
].join(' || chr(9) || ');

/** A valid row whose COPY text DuckDB would not write as `copyLine` does. */
const UNUSUAL = [
  ...[...TEXT_COLUMNS, 'event_date'].map((c) => `${c} IS NULL OR contains(${c}, chr(0))`),
  ...['start_ms', 'end_ms'].map(
    (c) => `${c} IS NULL OR ${c} <> trunc(${c}) OR ${c} < ${MIN_INSTANT} OR ${c} > ${MAX_INSTANT}`,
  ),
  'duration_hundredths IS NULL OR duration_hundredths < 0',
]
  .map((condition) => `(${condition})`)
  .join(' OR ');

/** What the plan found in one file: the report's counts, and whether COPY text can be written in SQL. */
export interface FileStats {
  readonly counts: PlaybackFileCounts;
  /** Some valid row must go through `copyLine` (see {@link UNUSUAL}). */
  readonly unusual: boolean;
}

/**
 * The counts of every file of the results table, by `file_seq`, in one pass.
 *
 * @example
 * const stats = await fileStats(connection, 'playback_results');
 * stats.get(0)?.counts.rowsRead; // 1042
 */
export async function fileStats(
  connection: DuckDBConnection,
  results: string,
): Promise<Map<number, FileStats>> {
  const reader = await connection.runAndReadAll(
    `SELECT file_seq, reason, count(*), count(*) FILTER (WHERE orphan_content), count(*) FILTER (WHERE orphan_user), ` +
      `coalesce(bool_or(reason IS NULL AND (${UNUSUAL})), false) FROM ${results} GROUP BY file_seq, reason`,
  );
  const found = new Map<number, { counts: PlaybackFileCounts; unusual: boolean }>();
  for (const row of reader.getRows() as [number, RejectionReason | null, bigint, bigint, bigint, boolean][]) {
    const [seq, reason, rows, orphanContent, orphanUser, unusual] = row;
    let stats = found.get(seq);
    if (!stats) {
      stats = {
        counts: {
          rowsRead: 0,
          rowsValid: 0,
          rowsRejected: 0,
          rejectedByReason: {},
          orphanContent: 0,
          orphanUser: 0,
        },
        unusual: false,
      };
      found.set(seq, stats);
    }
    const { counts } = stats;
    counts.rowsRead += Number(rows);
    if (reason === null) {
      counts.rowsValid += Number(rows);
      counts.orphanContent += Number(orphanContent);
      counts.orphanUser += Number(orphanUser);
      stats.unusual = unusual;
    } else {
      counts.rowsRejected += Number(rows);
      counts.rejectedByReason[reason] = Number(rows);
    }
  }
  // Reasons in the contract's order, as the reference counts them.
  for (const stats of found.values()) {
    const ordered: Partial<Record<RejectionReason, number>> = {};
    for (const reason of REJECTION_REASONS) {
      const count = stats.counts.rejectedByReason[reason];
      if (count) ordered[reason] = count;
    }
    stats.counts.rejectedByReason = ordered;
  }
  return found;
}

/**
 * Writes one file's valid rows, as COPY text lines (see the warehouse's `copyLine`), to `path`.
 *
 * @example
 * await writeCopyText(connection, 'playback_results', 3, '/tmp/scratch/rows-3.copy');
 */
export async function writeCopyText(
  connection: DuckDBConnection,
  results: string,
  seq: number,
  path: string,
): Promise<void> {
  // No quote and no escape: DuckDB writes each line as it is (the escapes are already in it).
  await connection.run(
    `COPY (SELECT ${COPY_LINE} FROM ${results} WHERE file_seq = ${seq} AND reason IS NULL) ` +
      `TO '${path.replaceAll("'", "''")}' (FORMAT CSV, HEADER false, QUOTE '', ESCAPE '')`,
  );
}
