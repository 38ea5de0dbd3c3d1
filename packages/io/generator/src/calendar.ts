import { MS_PER_DAY } from '@streampulse/schema';

export { addDays } from '@streampulse/schema';
/** Milliseconds in a minute, an hour and a day. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = MS_PER_DAY;

/**
 * Asia/Kolkata has kept +05:30 without daylight saving since 1945, so the generator's
 * viewing-day arithmetic can use a fixed offset.
 */
export const IST_OFFSET_MS = 5.5 * HOUR_MS;

/**
 * The UTC instant at which an IST calendar day begins.
 *
 * @example
 * istDayStart('2025-03-01'); // Date.parse('2025-02-28T18:30:00Z')
 */
export function istDayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - IST_OFFSET_MS;
}

/** Day of the week of a `YYYY-MM-DD` date: 0 Sunday .. 6 Saturday. */
export function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}
