import type { PollClock } from '../src/index.js';

/** A clock that only moves when slept on, recording every wait. */
export function fakeClock(): PollClock & { sleeps: number[] } {
  let time = 0;
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

export { captured } from '@streampulse/test-servers';
