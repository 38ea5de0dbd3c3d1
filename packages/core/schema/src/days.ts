// Days as the pipeline writes them (event_date, partition folders, command-line ranges):
// YYYY-MM-DD calendar days, counted in UTC so no zone's clock changes enter.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Milliseconds in a UTC day: the one spelling of the number in the pipeline. */
export const MS_PER_DAY = 86_400_000;

function epochMillis(day: string): number {
  const match = DAY.exec(day);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
}

/**
 * Whether `text` is a real calendar day written `YYYY-MM-DD` (`2025-02-30` is not).
 *
 * @example
 * isCalendarDay('2024-02-29'); // true
 */
export function isCalendarDay(text: string): boolean {
  const millis = epochMillis(text);
  // Date.UTC rolls 2025-02-30 over to March: a day that does not survive the round trip is none.
  return !Number.isNaN(millis) && new Date(millis).toISOString().slice(0, 10) === text;
}

function requireCalendarDay(day: string): number {
  if (!isCalendarDay(day)) throw new RangeError(`${JSON.stringify(day)} is not a day as YYYY-MM-DD`);
  return epochMillis(day);
}

/**
 * The number of days from 1970-01-01 to `day` (negative before it): a day as an integer, for
 * lock keys and partition arithmetic.
 *
 * @example
 * dayNumber('1970-01-02'); // 1
 */
export function dayNumber(day: string): number {
  return Math.round(requireCalendarDay(day) / MS_PER_DAY);
}

/**
 * The calendar day `offset` days after `day` (before it when negative). `day` must be a calendar
 * day: `2025-02-30` is refused, not rolled over to March.
 *
 * @example
 * addDays('2024-02-28', 1); // '2024-02-29'
 */
export function addDays(day: string, offset: number): string {
  if (!Number.isInteger(offset)) throw new RangeError(`a day offset must be a whole number, got ${offset}`);
  return new Date(requireCalendarDay(day) + offset * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Every calendar day from `from` to `to`, both included, ascending; empty when `to` is before
 * `from`. Both must be calendar days (see {@link isCalendarDay}); anything else is a caller's bug.
 *
 * @example
 * calendarDays('2024-02-28', '2024-03-01'); // ['2024-02-28', '2024-02-29', '2024-03-01']
 */
export function calendarDays(from: string, to: string): string[] {
  const last = requireCalendarDay(to);
  const days: string[] = [];
  for (let millis = requireCalendarDay(from); millis <= last; millis += MS_PER_DAY) {
    days.push(new Date(millis).toISOString().slice(0, 10));
  }
  return days;
}
