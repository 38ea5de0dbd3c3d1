import { encodeCsvRow } from '@streampulse/formats';
import {
  DAILY_ACTIVE_USERS_COLUMNS,
  DAILY_ENGAGEMENT_COLUMNS,
  type ColumnSpec,
  type DailyActiveUsersRow,
  type DailyEngagementRow,
} from '@streampulse/schema';
import { formatHundredths, minutesToHundredths } from '@streampulse/transform';

function cell(column: ColumnSpec, value: unknown): string {
  // Measures are two-decimal amounts: print them from hundredths, never via toFixed.
  if (column.postgres === 'double precision' && typeof value === 'number') {
    return formatHundredths(minutesToHundredths(value));
  }
  return String(value);
}

function toCsv<T extends object>(columns: readonly ColumnSpec[], rows: readonly T[]): string {
  const lines = [encodeCsvRow(columns.map((c) => c.name))];
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    lines.push(encodeCsvRow(columns.map((c) => cell(c, record[c.name]))));
  }
  return lines.join('\n') + '\n';
}

/**
 * `daily_engagement` rows as CSV text: a header of the column names, measures with two decimals.
 *
 * @example
 * engagementCsv(day.engagement); // 'event_date,region,...\n2025-03-10,North,tv,C1,...\n'
 */
export function engagementCsv(rows: readonly DailyEngagementRow[]): string {
  return toCsv(DAILY_ENGAGEMENT_COLUMNS, rows);
}

/**
 * `daily_active_users` rows as CSV text: a header of the column names, measures with two decimals.
 *
 * @example
 * activeUsersCsv(day.activeUsers);
 */
export function activeUsersCsv(rows: readonly DailyActiveUsersRow[]): string {
  return toCsv(DAILY_ACTIVE_USERS_COLUMNS, rows);
}
