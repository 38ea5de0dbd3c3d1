import { describe, expect, it } from 'vitest';
import { goldenCases, lakeFiles } from '../src/index.js';

describe('goldenCases', () => {
  it("holds the project's own cases, each with a lake and expected days", () => {
    const cases = goldenCases();
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(['basic', 'dst', 'edges']));
    for (const c of cases) expect(c.days.length).toBeGreaterThan(0);
  });
});

describe('lakeFiles', () => {
  it('lists the files under a prefix with keys relative to the lake root, in key order', () => {
    const basic = goldenCases().find((c) => c.name === 'basic');
    const keys = lakeFiles(basic?.lakeDir ?? '', 'raw/playback/').map((f) => f.key);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith('raw/playback/'))).toBe(true);
    expect(keys).toEqual([...keys].sort());
  });
});
