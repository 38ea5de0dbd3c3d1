import type { DuckDBConnection } from '@duckdb/node-api';
import { REJECTION_REASONS, type RejectionReason } from '@streampulse/schema';
import type { PlaybackFileCounts } from '@streampulse/transform';

// A file's valid rows leave DuckDB as PostgreSQL COPY CSV, written by DuckDB's own CSV writer
// (typed columns, on every core) to a scratch file and streamed into the warehouse's staging
// COPY as bytes: no row becomes a JavaScript value. The values are the ones `copyLine` would
// write (the same instants to the millisecond, the same minutes to the hundredth); only the
// format differs (CSV's quoting instead of text's backslash escapes), which is about 3x cheaper
// for DuckDB to write than building each text line from strings. A file holding a value
// `copyLine` would refuse or print otherwise (NULL, NUL, an instant outside years 1..9999, a
// negative duration) is loaded through row objects instead, so it fails or loads exactly as the
// default engine's rows do.

/** The text columns of a valid row, in `COPY_COLUMNS` order. */
const TEXT_COLUMNS = ['session_id', 'user_id', 'content_id', 'title', 'genre', 'region', 'device_type'];
/** Epoch milliseconds `copyLine` accepts: years 1 to 9999. */
const MIN_INSTANT = -62_135_596_800_000;
const MAX_INSTANT = 253_402_300_799_999;

/** One row's CSV columns: `COPY_COLUMNS`, then the row number (its order in the file, for the dedupe). */
const CSV_COLUMNS = [
  ...TEXT_COLUMNS,
  'epoch_ms(CAST(start_ms AS BIGINT))',
  'epoch_ms(CAST(end_ms AS BIGINT))',
  // Exact hundredths: a DECIMAL, never a double.
  'CAST(duration_hundredths AS DECIMAL(18, 0)) * 0.01',
  'event_date',
  'row_num',
].join(', ');

/**
 * PostgreSQL's CSV dialect, pinned: an empty string is written quoted (`""`, PostgreSQL's empty
 * string; unquoted would be NULL, and no valid row has a NULL), instants as `copyLine` writes them.
 */
const CSV_OPTIONS =
  `FORMAT CSV, HEADER false, DELIMITER ',', QUOTE '"', ESCAPE '"', NULL '', ` +
  `TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%gZ'`;

/** A valid row whose values `copyLine` would refuse or print otherwise (see above). */
const UNUSUAL = [
  ...[...TEXT_COLUMNS, 'event_date'].map((c) => `${c} IS NULL OR contains(${c}, chr(0))`),
  ...['start_ms', 'end_ms'].map(
    (c) => `${c} IS NULL OR ${c} <> trunc(${c}) OR ${c} < ${MIN_INSTANT} OR ${c} > ${MAX_INSTANT}`,
  ),
  'duration_hundredths IS NULL OR duration_hundredths < 0',
]
  .map((condition) => `(${condition})`)
  .join(' OR ');

/** What the plan found in one file: the report's counts, and whether its rows can leave DuckDB as COPY CSV. */
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
 * Writes one file's valid rows as PostgreSQL COPY CSV (the warehouse's `COPY_COLUMNS`, then the
 * row number) to `path`, for `stageCopyText(..., { format: 'csv' })`.
 *
 * @example
 * await writeCopyCsv(connection, 'playback_results', 3, '/tmp/scratch/rows-3.csv');
 */
export async function writeCopyCsv(
  connection: DuckDBConnection,
  results: string,
  seq: number,
  path: string,
): Promise<void> {
  await connection.run(
    `COPY (SELECT ${CSV_COLUMNS} FROM ${results} WHERE file_seq = ${seq} AND reason IS NULL) ` +
      `TO '${path.replaceAll("'", "''")}' (${CSV_OPTIONS})`,
  );
}
