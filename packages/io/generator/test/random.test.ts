import { describe, expect, it } from 'vitest';
import { AliasTable, Random } from '../src/index.js';
import { HOURLY_PROFILE_IST, sessionsPerDay } from '../src/sessions.js';

const draws = (random: Random, n: number): number[] => Array.from({ length: n }, () => random.next());

describe('Random', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    expect(draws(new Random(42), 5)).toEqual(draws(new Random(42), 5));
    expect(draws(new Random(42), 5)).not.toEqual(draws(new Random(43), 5));
  });

  it('draws uniform numbers in [0, 1)', () => {
    const values = draws(new Random(1), 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 1);
  });

  it('forks independent streams that depend only on the seed and the label', () => {
    const a = new Random(9);
    a.next();
    expect(draws(a.fork('dirt'), 3)).toEqual(draws(new Random(9).fork('dirt'), 3));
    expect(draws(new Random(9).fork('dirt'), 3)).not.toEqual(draws(new Random(9).fork('users'), 3));
  });

  it('draws log-normal values around their median', () => {
    const random = new Random(5);
    const values = Array.from({ length: 10_001 }, () => random.logNormal(20, 0.9)).sort((a, b) => a - b);
    expect(values[5000]).toBeGreaterThan(18);
    expect(values[5000]).toBeLessThan(22);
    expect(Math.min(...values)).toBeGreaterThan(0);
  });

  it('shuffles into a permutation', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = new Random(2).shuffle(items);
    expect([...shuffled].sort()).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });
});

describe('AliasTable', () => {
  it('draws indexes in proportion to their weights', () => {
    const table = new AliasTable([6, 3, 1, 0]);
    const random = new Random(11);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 50_000; i += 1) {
      const index = table.sample(random);
      counts[index] = (counts[index] as number) + 1;
    }
    expect((counts[0] as number) / 50_000).toBeCloseTo(0.6, 1);
    expect((counts[1] as number) / 50_000).toBeCloseTo(0.3, 1);
    expect((counts[2] as number) / 50_000).toBeCloseTo(0.1, 1);
    expect(counts[3]).toBe(0);
  });

  it('refuses weights it cannot draw from', () => {
    expect(() => new AliasTable([])).toThrow(RangeError);
    expect(() => new AliasTable([0, 0])).toThrow(RangeError);
    expect(() => new AliasTable([1, -1])).toThrow(RangeError);
  });
});

describe('sessionsPerDay', () => {
  it('splits the total exactly, with more on weekends', () => {
    const days = ['2025-03-07', '2025-03-08', '2025-03-09', '2025-03-10'];
    const counts = sessionsPerDay(days, 1001);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1001);
    expect(counts[1]).toBeGreaterThan(counts[0] as number);
    expect(counts[2]).toBeGreaterThan(counts[3] as number);
  });

  it('has a prime-time peak in the hourly profile', () => {
    const peak = HOURLY_PROFILE_IST.indexOf(Math.max(...HOURLY_PROFILE_IST));
    expect(peak).toBeGreaterThanOrEqual(19);
    expect(peak).toBeLessThanOrEqual(22);
  });
});
