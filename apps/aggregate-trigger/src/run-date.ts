import { addDays } from '@streampulse/schema';

/** The calendar date (`YYYY-MM-DD`) of an instant in a time zone. */
function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The latest reporting day that has ended by `instant`: the day before the local date of
 * `instant` in `timeZone`. At 20:30Z on 14 March it is 02:00 on 15 March in Asia/Kolkata, so the
 * day that ended is 14 March; at 18:29:59Z it is still 14 March there, so it is 13 March.
 *
 * @example
 * reportingDayEndedBy(new Date('2025-03-14T20:30:00Z'), 'Asia/Kolkata'); // '2025-03-14'
 */
export function reportingDayEndedBy(instant: Date, timeZone: string): string {
  return addDays(localDate(instant, timeZone), -1);
}
