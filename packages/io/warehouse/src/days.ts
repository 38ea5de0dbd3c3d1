import type pg from 'pg';
import { withClient } from './pool-client.js';

/**
 * Days whose rows changed since they were last aggregated, ascending (`YYYY-MM-DD`).
 *
 * @example
 * for (const day of await pendingDays(pool)) await aggregateDay(day);
 */
export async function pendingDays(pool: pg.Pool): Promise<string[]> {
  const result = await withClient(pool, (client) =>
    client.query<{ day: string }>(
      `SELECT to_char(event_date, 'YYYY-MM-DD') AS day
         FROM processed.day_changes
        WHERE aggregated_at IS NULL OR aggregated_at < changed_at
        ORDER BY event_date`,
    ),
  );
  return result.rows.map((row) => row.day);
}

/**
 * Records that `days` were aggregated from the data as it was at `at`. Take `at` before reading
 * the days' rows: a load that changes a day afterwards stamps a later `changed_at`, so the day
 * turns pending again. Never moves a day's stamp backwards; days never changed are ignored.
 *
 * @example
 * const at = new Date();
 * const days = await pendingDays(pool);
 * // ... aggregate the days ...
 * await markDaysAggregated(pool, days, at);
 */
export async function markDaysAggregated(pool: pg.Pool, days: string[], at: Date): Promise<void> {
  if (days.length === 0) return;
  await withClient(pool, (client) =>
    client.query(
      `UPDATE processed.day_changes
          SET aggregated_at = GREATEST(aggregated_at, $2::timestamptz)
        WHERE event_date = ANY ($1::date[])`,
      [days, at],
    ),
  );
}
