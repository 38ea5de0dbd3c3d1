import { PROCESSED_COLUMNS } from '@streampulse/schema';
import { LOAD_LOCK } from './locks.js';
import { WAREHOUSE_TABLES } from '@streampulse/schema';

const columns = PROCESSED_COLUMNS.map((c) => c.name);
const list = columns.join(', ');
const updates = columns
  .filter((c) => c !== 'session_id')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');

/**
 * Takes the load lock until the transaction ends: every merge into the processed table holds it,
 * so merges of any loads serialize, whichever engine runs them.
 *
 * @example
 * await client.query(LOAD_LOCK_SQL); // inside the load's transaction, just before the merge
 */
export const LOAD_LOCK_SQL = `SELECT pg_advisory_xact_lock(${LOAD_LOCK[0]}, ${LOAD_LOCK[1]})`;

/**
 * The one merge of staged rows into `processed.processed_data`, for every engine that loads: per
 * session the latest `end_time` wins, on a tie the smallest `seq` (the first row in key and row
 * order); a stored row is replaced only by a strictly later `end_time`. The days it changed, the
 * `event_date` of every row written and the former day of a replaced row (that day lost a
 * session), are marked in `processed.day_changes` at `changedAt`, an SQL expression (a parameter
 * such as `$1`, or the database's clock). It answers one row: `rows_inserted` (new sessions),
 * `rows_replaced` (stored rows overwritten by a later one), `rows_loaded` (their sum) and
 * `event_dates`. Run it in the load's transaction after {@link LOAD_LOCK_SQL}: under the lock no
 * other load can add a key between the lookup and the insert. The staging table holds the
 * processed columns and `seq` (bigint).
 *
 * @example
 * await client.query(mergeStagedRowsSql('staging', '$1'), [finishedAt]);
 */
export function mergeStagedRowsSql(staging: string, changedAt: string): string {
  // One statement, so every part sees the table as it was before the load (`stored` reads the
  // rows about to be overwritten). New sessions, the common case, go in by a plain INSERT: an
  // ON CONFLICT insert costs about a third more per row (measured, docs/benchmarks.md); only
  // sessions already stored take the upsert, which keeps the strictly-later rule.
  return `
WITH ${latestWrittenSql(staging, { carried: '', lookup: 'stored', upsert: 'replaced' })},
days AS (
  SELECT event_date FROM inserted
  UNION
  SELECT event_date FROM replaced
  UNION
  SELECT stored_event_date FROM stored WHERE end_time > stored_end_time
),
${markDaysSql(changedAt)}
SELECT (SELECT count(*) FROM inserted) AS rows_inserted,
       (SELECT count(*) FROM replaced) AS rows_replaced,
       (SELECT count(*) FROM inserted) + (SELECT count(*) FROM replaced) AS rows_loaded,
       ARRAY(SELECT to_char(event_date, 'YYYY-MM-DD') FROM days ORDER BY event_date) AS event_dates`;
}

/**
 * The merge of a direct load (rows COPYed straight into `processed.processed_data`): every row of
 * the file that could not go straight in waits in `side` (the processed columns, `seq`, the row's
 * order in the file, and `stored`, whether its session was in the table before the file), and
 * this statement applies the same rules to them as {@link mergeStagedRowsSql} applies to a whole
 * file. A side session already in the table is either stored (`stored`: replaced only by a
 * strictly later `end_time`, counted as replaced, its former day changed) or was inserted by this
 * file's own direct rows, always the session's first row (overwritten only by a strictly later
 * `end_time`, so the first row wins a tie, and counted once, as inserted). The direct rows' days
 * come as two parallel arrays, `directDays` (date[]) and `directCounts` (bigint[]): a day stays
 * changed unless every direct row of it was overwritten by a row of another day. `directRows`
 * (bigint) is how many rows went straight in. It answers one row like the staged merge:
 * `rows_inserted`, `rows_replaced`, `rows_loaded` and `event_dates`, and marks the days in
 * `processed.day_changes` at `changedAt`. Run it under {@link LOAD_LOCK_SQL}, held since before
 * the direct rows were written, so nothing else changed the table meanwhile.
 *
 * @example
 * await client.query(mergeSideRowsSql('side_rows', { changedAt: '$1', directDays: '$2', directCounts: '$3', directRows: '$4' }), [finishedAt, ['2025-03-10'], [11], 11]);
 */
export function mergeSideRowsSql(
  side: string,
  params: { changedAt: string; directDays: string; directCounts: string; directRows: string },
): string {
  return `
WITH ${latestWrittenSql(side, { carried: ', stored', lookup: 'current', upsert: 'overwritten' })},
direct_days AS (
  SELECT d.event_date
    FROM unnest(${params.directDays}::date[], ${params.directCounts}::bigint[]) AS d(event_date, n)
    LEFT JOIN (
      SELECT current_event_date AS event_date, count(*) AS n
        FROM current
       WHERE NOT stored AND end_time > current_end_time
       GROUP BY current_event_date
    ) o USING (event_date)
   WHERE d.n > coalesce(o.n, 0)
),
days AS (
  SELECT event_date FROM direct_days
  UNION
  SELECT event_date FROM inserted
  UNION
  SELECT event_date FROM overwritten
  UNION
  SELECT current_event_date FROM current WHERE stored AND end_time > current_end_time
),
${markDaysSql(params.changedAt)},
counts AS (
  SELECT ${params.directRows}::bigint + (SELECT count(*) FROM inserted) AS rows_inserted,
         (SELECT count(*) FROM current WHERE stored AND end_time > current_end_time) AS rows_replaced
)
SELECT rows_inserted, rows_replaced, rows_inserted + rows_replaced AS rows_loaded,
       ARRAY(SELECT to_char(event_date, 'YYYY-MM-DD') FROM days ORDER BY event_date) AS event_dates
  FROM counts`;
}

/**
 * The part both merges share, as CTEs: `latest` (per session of `source` the row that wins inside
 * the file: the latest `end_time`, on a tie the smallest `seq`, with the `carried` columns), the
 * `lookup` CTE (each with the table's row of its session, if any: `<lookup>_end_time`,
 * `<lookup>_event_date`), `inserted` (new sessions, by a plain INSERT) and the `upsert` CTE (rows
 * with a strictly later `end_time` than the table's, by an upsert that keeps that rule).
 */
function latestWrittenSql(
  source: string,
  names: { carried: string; lookup: string; upsert: string },
): string {
  const { carried, lookup, upsert } = names;
  return `latest AS (
  SELECT DISTINCT ON (session_id) ${list}${carried}
    FROM ${source}
   ORDER BY session_id, end_time DESC, seq
),
${lookup} AS (
  -- One primary-key probe per row: a join lets the planner hash the whole table for every
  -- file, which grows with the table.
  SELECT l.*, t.end_time AS ${lookup}_end_time, t.event_date AS ${lookup}_event_date
    FROM latest l
    LEFT JOIN LATERAL (
      SELECT t.end_time, t.event_date
        FROM ${WAREHOUSE_TABLES.processed} t
       WHERE t.session_id = l.session_id
    ) t ON true
),
inserted AS (
  INSERT INTO ${WAREHOUSE_TABLES.processed} (${list})
  SELECT ${list} FROM ${lookup} WHERE ${lookup}_end_time IS NULL
  RETURNING event_date
),
${upsert} AS (
  INSERT INTO ${WAREHOUSE_TABLES.processed} AS t (${list})
  SELECT ${list} FROM ${lookup} WHERE end_time > ${lookup}_end_time
  ON CONFLICT (session_id) DO UPDATE SET ${updates}
   WHERE excluded.end_time > t.end_time
  RETURNING t.event_date
)`;
}

/** The CTE `marked`: every day of the CTE `days` changed at `changedAt`. */
function markDaysSql(changedAt: string): string {
  return `marked AS (
  INSERT INTO ${WAREHOUSE_TABLES.dayChanges} AS d (event_date, changed_at)
  SELECT event_date, ${changedAt} FROM days
  ON CONFLICT (event_date) DO UPDATE SET changed_at = excluded.changed_at
)`;
}
