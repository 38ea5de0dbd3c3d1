/**
 * A clock and a way to wait: real time by default, fakes in tests.
 *
 * @example
 * const clock: LauncherClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
 */
export interface LauncherClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Wall-clock time and `setTimeout`.
 *
 * @example
 * await systemClock.sleep(250);
 */
export const systemClock: LauncherClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
