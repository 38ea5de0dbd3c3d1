// Days as the pipeline writes them (event_date, partition folders, command-line ranges):
// YYYY-MM-DD calendar days, counted in UTC so no zone's clock changes enter.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

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

/**
 * Every calendar day from `from` to `to`, both included, ascending; empty when `to` is before
 * `from`. Both must be calendar days (see {@link isCalendarDay}); anything else is a caller's bug.
 *
 * @example
 * calendarDays('2024-02-28', '2024-03-01'); // ['2024-02-28', '2024-02-29', '2024-03-01']
 */
export function calendarDays(from: string, to: string): string[] {
  for (const day of [from, to]) {
    if (!isCalendarDay(day)) throw new RangeError(`${JSON.stringify(day)} is not a day as YYYY-MM-DD`);
  }
  const days: string[] = [];
  for (let millis = epochMillis(from); millis <= epochMillis(to); millis += MS_PER_DAY) {
    days.push(new Date(millis).toISOString().slice(0, 10));
  }
  return days;
}
