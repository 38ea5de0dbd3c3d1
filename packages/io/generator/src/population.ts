import type { DeviceType } from '@streampulse/schema';
import { AliasTable, type Random } from './random.js';

/** Regions of the user base and their share of users. */
export const REGIONS: readonly (readonly [string, number])[] = [
  ['South', 28],
  ['North', 25],
  ['West', 22],
  ['East', 13],
  ['Central', 8],
  ['North East', 4],
];

/** Subscription plans and their share of users. */
export const PLANS: readonly (readonly [string, number])[] = [
  ['Free', 40],
  ['Basic', 25],
  ['Standard', 20],
  ['Premium', 15],
];

/** Device types people watch on and their share of primary devices. */
export const DEVICE_MIX: readonly (readonly [DeviceType, number])[] = [
  ['mobile', 42],
  ['tv', 34],
  ['web', 13],
  ['tablet', 7],
  ['console', 4],
];

/** The generated users, held column-wise so a large user base stays compact. */
export interface Population {
  readonly size: number;
  /** Index into {@link REGIONS} per user. */
  readonly region: Uint8Array;
  /** Index into {@link PLANS} per user. */
  readonly plan: Uint8Array;
  /** Index into {@link DEVICE_MIX}: the device a user watches on most. */
  readonly primaryDevice: Uint8Array;
  /** Days before the first generated day that the user signed up. */
  readonly signupDaysAgo: Uint16Array;
  /** Draws a user index: a few heavy viewers watch far more than most (log-normal activity). */
  readonly activity: AliasTable;
}

/**
 * The id of user `index` (0-based).
 *
 * @example
 * userId(0); // 'U000001'
 */
export function userId(index: number): string {
  return `U${String(index + 1).padStart(6, '0')}`;
}

/**
 * Builds `size` users with a region, a plan, a primary device and an activity level.
 *
 * @example
 * const users = buildPopulation(3000, new Random(42).fork('users'));
 * REGIONS[users.region[users.activity.sample(random)]][0]; // e.g. 'South'
 */
export function buildPopulation(size: number, random: Random): Population {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`users must be a positive integer, got ${size}`);
  const regions = new AliasTable(REGIONS.map(([, w]) => w));
  const plans = new AliasTable(PLANS.map(([, w]) => w));
  const devices = new AliasTable(DEVICE_MIX.map(([, w]) => w));
  const population = {
    size,
    region: new Uint8Array(size),
    plan: new Uint8Array(size),
    primaryDevice: new Uint8Array(size),
    signupDaysAgo: new Uint16Array(size),
  };
  const activity = new Float64Array(size);
  for (let i = 0; i < size; i += 1) {
    population.region[i] = regions.sample(random);
    population.plan[i] = plans.sample(random);
    population.primaryDevice[i] = devices.sample(random);
    population.signupDaysAgo[i] = random.between(1, 1500);
    // Paying users watch a little more.
    activity[i] = random.logNormal(1, 1.1) * (1 + 0.15 * (population.plan[i] as number));
  }
  return { ...population, activity: new AliasTable(activity) };
}
