import { Writable } from 'node:stream';
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

/** A writable that keeps what was written, as text. */
export function captured(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => Buffer.concat(chunks).toString('utf8') });
}
