import { encodeCsvRow } from '@streampulse/formats';
import { PROCESSED_COLUMNS, type ProcessedRow } from '@streampulse/schema';
import { formatHundredths, minutesToHundredths } from './duration.js';

/**
 * A processed row's 11 values as text, in table order: instants as ISO 8601 UTC with
 * milliseconds, `duration_min` with exactly two decimals.
 *
 * @example
 * processedRowValues(row); // ['S1', 'U1', 'C1', 'Title', 'Drama', 'North', 'tv', '2025-03-10T09:46:40.000Z', ..., '45.51', '2025-03-10']
 */
export function processedRowValues(row: ProcessedRow): string[] {
  return [
    row.session_id,
    row.user_id,
    row.content_id,
    row.title,
    row.genre,
    row.region,
    row.device_type,
    new Date(row.start_time).toISOString(),
    new Date(row.end_time).toISOString(),
    formatHundredths(minutesToHundredths(row.duration_min)),
    row.event_date,
  ];
}

/**
 * Processed rows as CSV text with a header row, in the order given.
 *
 * @example
 * processedCsv(result.rows); // 'session_id,user_id,...\nS1,U1,...\n'
 */
export function processedCsv(rows: readonly ProcessedRow[]): string {
  const lines = [encodeCsvRow(PROCESSED_COLUMNS.map((c) => c.name))];
  for (const row of rows) lines.push(encodeCsvRow(processedRowValues(row)));
  return lines.join('\n') + '\n';
}
