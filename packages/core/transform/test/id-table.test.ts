import { describe, expect, it } from 'vitest';
import { hashId, IdTable } from '../src/index.js';

describe('IdTable', () => {
  it('answers what a Map answers, over 50,000 ids set, reset and looked up', () => {
    const table = new IdTable<number>();
    const map = new Map<string, number>();
    // Ids of every shape the lakes hold: short, long, differing only at the end, non-ASCII.
    const idOf = (n: number): string =>
      n % 5 === 0
        ? `U${n}`
        : n % 5 === 1
          ? `S20250301-${String(n).padStart(7, '0')}`
          : n % 5 === 2
            ? `ユーザー${n}`
            : n % 5 === 3
              ? `${n}`
              : `c-${n}-🎬`;
    for (let n = 0; n < 50_000; n++) {
      table.set(idOf(n), n);
      map.set(idOf(n), n);
    }
    for (let n = 0; n < 50_000; n += 7) {
      table.set(idOf(n), -n - 1);
      map.set(idOf(n), -n - 1);
    }
    expect(table.size).toBe(map.size);
    for (let n = 0; n < 60_000; n++) expect(table.get(idOf(n))).toBe(map.get(idOf(n)));
    expect([...table.entries()]).toEqual([...map.entries()]);
  });

  it('tells apart ids that are prefixes of each other, and the empty id', () => {
    const table = new IdTable<string>();
    table.set('U1', 'one');
    table.set('U12', 'twelve');
    table.set('', 'empty');
    expect(table.get('U1')).toBe('one');
    expect(table.get('U12')).toBe('twelve');
    expect(table.get('U123')).toBeUndefined();
    expect(table.get('')).toBe('empty');
  });

  it('keeps ids with lone surrogates and ids longer than a spread can take', () => {
    const table = new IdTable<number>();
    const long = 'x'.repeat(200_000);
    table.set('\ud800alone', 1);
    table.set(long, 2);
    expect(table.get('\ud800alone')).toBe(1);
    expect(table.get(long)).toBe(2);
    expect([...table.entries()].map(([id]) => id)).toEqual(['\ud800alone', long]);
  });
});

describe('hashId', () => {
  it('never returns 0 and spreads ids that differ only in their last character', () => {
    const low = new Set<number>();
    for (let n = 0; n < 4096; n++) {
      const hash = hashId(`S20250301-${String(n).padStart(7, '0')}`);
      expect(hash).toBeGreaterThan(0);
      expect(hash).toBeLessThan(2 ** 32);
      low.add(hash & 4095);
    }
    // 4,096 ids into 4,096 buckets by their low 12 bits: a random spread fills about 63% of them.
    expect(low.size).toBeGreaterThan(2400);
  });
});
