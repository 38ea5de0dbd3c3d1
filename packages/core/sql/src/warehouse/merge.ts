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
 * such as `$1`, or the database's clock). It answers one row: `rows_loaded` and `event_dates`.
 * Run it in the load's transaction after {@link LOAD_LOCK_SQL}. The staging table holds the
 * processed columns and `seq` (bigint).
 *
 * @example
 * await client.query(mergeStagedRowsSql('staging', '$1'), [finishedAt]);
 */
export function mergeStagedRowsSql(staging: string, changedAt: string): string {
  // One statement, so every part sees the table as it was before the load (replaced_days reads
  // the rows about to be overwritten).
  return `
WITH latest AS (
  SELECT DISTINCT ON (session_id) ${list}
    FROM ${staging}
   ORDER BY session_id, end_time DESC, seq
),
replaced_days AS (
  -- A correlated lookup is one primary-key probe per row; a join lets the planner hash the
  -- whole table for every file, which grows with the table.
  SELECT (SELECT t.event_date
            FROM ${WAREHOUSE_TABLES.processed} t
           WHERE t.session_id = l.session_id AND t.end_time < l.end_time) AS event_date
    FROM latest l
),
written AS (
  INSERT INTO ${WAREHOUSE_TABLES.processed} AS t (${list})
  SELECT ${list} FROM latest
  ON CONFLICT (session_id) DO UPDATE SET ${updates}
   WHERE excluded.end_time > t.end_time
  RETURNING t.event_date
),
days AS (
  SELECT event_date FROM written
  UNION
  SELECT event_date FROM replaced_days WHERE event_date IS NOT NULL
),
marked AS (
  INSERT INTO ${WAREHOUSE_TABLES.dayChanges} AS d (event_date, changed_at)
  SELECT event_date, ${changedAt} FROM days
  ON CONFLICT (event_date) DO UPDATE SET changed_at = excluded.changed_at
)
SELECT (SELECT count(*) FROM written) AS rows_loaded,
       ARRAY(SELECT to_char(event_date, 'YYYY-MM-DD') FROM days ORDER BY event_date) AS event_dates`;
}
