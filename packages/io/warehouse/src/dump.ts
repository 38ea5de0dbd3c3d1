import { WAREHOUSE_TABLES } from '@streampulse/schema';
import type pg from 'pg';
import { COPY_COLUMNS } from './copy-text.js';
import { withClient } from './pool-client.js';

// Formatting happens in SQL so the text is the same whatever the session's TimeZone or
// DateStyle, and numeric(10,2) keeps its two decimals (0.00) that a JS number would lose.
const selectSql = `
SELECT session_id, user_id, content_id, title, genre, region, device_type,
       to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS start_time,
       to_char(end_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS end_time,
       duration_min::text AS duration_min,
       to_char(event_date, 'YYYY-MM-DD') AS event_date
  FROM ${WAREHOUSE_TABLES.processed}
 ORDER BY session_id COLLATE "C"`;

/** RFC 4180: quote only a value holding a comma, a quote, CR or LF. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The whole of `processed.processed_data` as CSV text: a header, rows by `session_id` in
 * code-unit order, instants like `2025-03-10T09:46:40.000Z`, durations like `45.51`, dates like
 * `2025-03-10`, quoting only where needed, every line ended by `\n`. Meant for golden tests
 * (small tables): the result is one string.
 *
 * @example
 * expect(await dumpProcessedCsv(pool)).toBe(goldenCase.processedCsv);
 */
export async function dumpProcessedCsv(pool: pg.Pool): Promise<string> {
  const result = await withClient(pool, (client) =>
    client.query<string[]>({ text: selectSql, rowMode: 'array' }),
  );
  let csv = COPY_COLUMNS.join(',') + '\n';
  for (const row of result.rows) csv += row.map(csvField).join(',') + '\n';
  return csv;
}
