import { describe, expect, it } from 'vitest';
import { OrderedSteps } from '../src/ordered-steps.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('OrderedSteps', () => {
  it('runs steps in the order queued, each after the one before has finished', async () => {
    const steps = new OrderedSteps();
    const log: string[] = [];
    const step = (name: string, waits: number) => async () => {
      log.push(`${name} start`);
      for (let i = 0; i < waits; i++) await tick();
      log.push(`${name} end`);
    };
    await steps.queue(step('a', 3));
    log.push('caller goes on');
    await steps.queue(step('b', 1));
    await steps.drain();
    expect(log).toEqual(['a start', 'caller goes on', 'a end', 'b start', 'b end']);
  });

  it('fails the next queue call with a failed step, which then does not start', async () => {
    const steps = new OrderedSteps();
    let started = false;
    await steps.queue(() => Promise.reject(new Error('commit failed')));
    await expect(
      steps.queue(async () => {
        started = true;
      }),
    ).rejects.toThrow('commit failed');
    expect(started).toBe(false);
  });

  it('rejects drain with the last step error, and settle waits without throwing', async () => {
    const steps = new OrderedSteps();
    await steps.queue(() => Promise.reject(new Error('last failed')));
    await expect(steps.drain()).rejects.toThrow('last failed');
    await expect(steps.settle()).resolves.toBeUndefined();
  });
});
