import type { DeviceType } from '@streampulse/schema';
import { HOUR_MS, istDayStart, MINUTE_MS, weekday } from './calendar.js';
import type { Catalog } from './catalog.js';
import { DEVICE_MIX, type Population } from './population.js';
import { AliasTable, type Random } from './random.js';

/** One viewing session as it really happened, before any file writes it. */
export interface Session {
  readonly id: string;
  readonly userIndex: number;
  readonly contentIndex: number;
  readonly device: DeviceType;
  /** Epoch milliseconds, whole seconds. */
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Relative share of sessions starting in each hour of the day in Asia/Kolkata: quiet nights,
 * a lunch bump and a prime-time peak around 21:00.
 */
export const HOURLY_PROFILE_IST: readonly number[] = [
  3.0, 1.6, 0.8, 0.4, 0.3, 0.4, 0.8, 1.5, 2.2, 2.4, 2.5, 2.7, 3.3, 3.4, 3.0, 2.9, 3.1, 3.6, 4.6, 6.2, 7.8,
  8.4, 7.2, 5.0,
];

/** Weekends draw more sessions, and more of them in the daytime. */
const WEEKEND_VOLUME = 1.25;
const WEEKEND_DAYTIME = 1.5;

/** Median session length in minutes per device: people sit longer in front of a TV. */
const MEDIAN_MINUTES: Readonly<Record<DeviceType, number>> = {
  tv: 42,
  console: 48,
  tablet: 28,
  web: 24,
  mobile: 18,
  other: 20,
  unknown: 20,
};
const DURATION_SIGMA = 0.9;
/** Sessions last at least 90 s (so minute-precision timestamps still order start < end) and at most 4 h. */
const MIN_DURATION_MS = 90_000;
const MAX_DURATION_MS = 4 * HOUR_MS;
/** Share of sessions on a user's primary device. */
const PRIMARY_DEVICE_SHARE = 0.8;

const isWeekend = (day: string): boolean => {
  const w = weekday(day);
  return w === 0 || w === 6;
};

/**
 * How many sessions each day gets: `total` split over the days in proportion to their volume
 * (weekends weigh more), by largest remainder so the counts add up to `total` exactly.
 *
 * @example
 * sessionsPerDay(['2025-03-07', '2025-03-08'], 1000); // [444, 556] (Friday, Saturday)
 */
export function sessionsPerDay(days: readonly string[], total: number): number[] {
  const weights = days.map((day) => (isWeekend(day) ? WEEKEND_VOLUME : 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left <= 0) break;
    counts[i] = (counts[i] as number) + 1;
    left -= 1;
  }
  return counts;
}

/**
 * The sessions starting on one IST day, in start order, drawn one at a time (memory does not
 * grow with the count). Start times are the order statistics of the hourly profile, drawn
 * ascending directly, so no sort is needed; users and titles are weighted draws; lengths are
 * log-normal per device, capped at 4 hours, so late-evening sessions run past midnight.
 *
 * @example
 * for (const session of daySessions('2025-03-01', 6000, population, catalog, random)) write(session);
 */
export function* daySessions(
  day: string,
  count: number,
  population: Population,
  catalog: Catalog,
  random: Random,
): Generator<Session> {
  const weekend = isWeekend(day);
  const hourly = HOURLY_PROFILE_IST.map((w, hour) =>
    weekend && hour >= 10 && hour <= 17 ? w * WEEKEND_DAYTIME : w,
  );
  const total = hourly.reduce((a, b) => a + b, 0);
  const cumulative = [0];
  for (const w of hourly) cumulative.push((cumulative[cumulative.length - 1] as number) + w / total);
  const dayStart = istDayStart(day);
  const mix = new AliasTable(DEVICE_MIX.map(([, w]) => w));
  const idPrefix = `S${day.replaceAll('-', '')}-`;

  let u = 0;
  let hour = 0;
  for (let k = 0; k < count; k += 1) {
    // The smallest of the count - k uniforms left above u.
    u = 1 - (1 - u) * Math.pow(1 - random.next(), 1 / (count - k));
    while (hour < 23 && u >= (cumulative[hour + 1] as number)) hour += 1;
    const low = cumulative[hour] as number;
    const within = Math.min(0.999999, (u - low) / ((cumulative[hour + 1] as number) - low));
    const startMs = dayStart + Math.floor((hour + within) * 3600) * 1000;

    const userIndex = population.activity.sample(random);
    const deviceIndex = random.chance(PRIMARY_DEVICE_SHARE)
      ? (population.primaryDevice[userIndex] as number)
      : mix.sample(random);
    const device = (DEVICE_MIX[deviceIndex] as readonly [DeviceType, number])[0];
    let durationMs: number;
    do {
      durationMs =
        Math.round(random.logNormal(MEDIAN_MINUTES[device] * MINUTE_MS, DURATION_SIGMA) / 1000) * 1000;
    } while (durationMs < MIN_DURATION_MS || durationMs > MAX_DURATION_MS);

    yield {
      id: idPrefix + String(k + 1).padStart(7, '0'),
      userIndex,
      contentIndex: catalog.popularity.sample(random),
      device,
      startMs,
      endMs: startMs + durationMs,
    };
  }
}
