import type { LauncherClock } from '../src/index.js';

/** A clock that only moves when slept on, recording every wait. */
export function fakeClock(start = Date.parse('2025-03-14T20:30:00Z')): LauncherClock & { sleeps: number[] } {
  let time = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
  };
}
