import { civilDateText, MS_PER_DAY, MS_PER_HOUR, wallClockMillis } from './calendar.js';

/**
 * A time zone's rules as the contract applies them. Built once per zone name; offsets are
 * cached per UTC hour, so converting millions of rows costs a map lookup each rather than an
 * Intl call.
 */
export interface TimeZone {
  readonly name: string;
  /** Offset of the zone from UTC at an instant, in milliseconds (wall = utc + offset). */
  offsetAt(utcMillis: number): number;
  /**
   * The instant of a wall-clock time (given as milliseconds as if it were UTC). A time in a
   * spring-forward gap moves forward by the gap; one that occurs twice takes the earlier instant.
   */
  instantOf(wallMillis: number): number;
  /** The calendar date, `YYYY-MM-DD`, of an instant in this zone. */
  dateOf(utcMillis: number): string;
}

// Cache sizes stay small in practice (one entry per hour of data); the bound only guards
// against pathological inputs spread over centuries.
const MAX_CACHED_HOURS = 500_000;

class IntlTimeZone implements TimeZone {
  readonly #format: Intl.DateTimeFormat;
  readonly #offsetByHour = new Map<number, number>();

  constructor(readonly name: string) {
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  }

  #exactOffset(utcMillis: number): number {
    const parts: Record<string, string> = {};
    for (const part of this.#format.formatToParts(utcMillis)) parts[part.type] = part.value;
    const year = Number(parts.year) * (parts.era === 'BC' || parts.era === 'B' ? -1 : 1);
    const wall = wallClockMillis(
      year,
      Number(parts.month),
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
      0,
    );
    const utcSeconds = Math.floor(utcMillis / 1000) * 1000;
    return wall - utcSeconds;
  }

  offsetAt(utcMillis: number): number {
    const hour = Math.floor(utcMillis / MS_PER_HOUR);
    const cached = this.#offsetByHour.get(hour);
    if (cached !== undefined) return cached;
    const start = hour * MS_PER_HOUR;
    const atStart = this.#exactOffset(start);
    // An hour that holds a transition is not cached: its offset depends on the minute.
    if (this.#exactOffset(start + MS_PER_HOUR - 1) !== atStart) return this.#exactOffset(utcMillis);
    if (this.#offsetByHour.size >= MAX_CACHED_HOURS) this.#offsetByHour.clear();
    this.#offsetByHour.set(hour, atStart);
    return atStart;
  }

  instantOf(wallMillis: number): number {
    // Offsets a day either side bracket any transition near this wall time.
    const before = this.offsetAt(wallMillis - MS_PER_DAY);
    const after = this.offsetAt(wallMillis + MS_PER_DAY);
    const withBefore = wallMillis - before;
    const withAfter = wallMillis - after;
    const beforeHolds = this.offsetAt(withBefore) === before;
    const afterHolds = this.offsetAt(withAfter) === after;
    if (beforeHolds && afterHolds) return Math.min(withBefore, withAfter);
    if (beforeHolds) return withBefore;
    if (afterHolds) return withAfter;
    // In no offset's range: a gap. The offset from before the gap moves the time forward by it.
    return withBefore;
  }

  dateOf(utcMillis: number): string {
    return civilDateText(Math.floor((utcMillis + this.offsetAt(utcMillis)) / MS_PER_DAY));
  }
}

class UtcTimeZone implements TimeZone {
  readonly name = 'UTC';
  offsetAt(): number {
    return 0;
  }
  instantOf(wallMillis: number): number {
    return wallMillis;
  }
  dateOf(utcMillis: number): string {
    return civilDateText(Math.floor(utcMillis / MS_PER_DAY));
  }
}

const zones = new Map<string, TimeZone>();

/**
 * The {@link TimeZone} for an IANA name. Throws a RangeError naming the zone when the runtime
 * does not know it (validate settings first with `@streampulse/schema`).
 *
 * @example
 * const ny = timeZone('America/New_York');
 * new Date(ny.instantOf(Date.UTC(2025, 2, 9, 2, 30))).toISOString(); // '2025-03-09T07:30:00.000Z' (gap)
 */
export function timeZone(name: string): TimeZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = name === 'UTC' || name === 'Etc/UTC' ? new UtcTimeZone() : new IntlTimeZone(name);
    zones.set(name, zone);
  }
  return zone;
}
