import { describe, expect, it } from 'vitest';
import { csvCheck, formatSmokeTable, goldenCases, readGoldenCase } from '../src/index.js';

describe('readGoldenCase', () => {
  it('reads a case folder as goldenCases does, named after the folder', () => {
    const [first] = goldenCases();
    const read = readGoldenCase(first?.dir ?? '');
    expect(read.name).toBe(first?.name);
    expect(read.days).toEqual(first?.days);
    expect(read.processedCsv).toBe(first?.processedCsv);
  });

  it('refuses a folder that is not a case, naming it', () => {
    expect(() => readGoldenCase('/nonexistent/case')).toThrow(
      '/nonexistent/case is not a golden case (it needs settings.json and expected/)',
    );
  });
});

describe('csvCheck', () => {
  it('passes equal texts and an absent result for a header-only file', () => {
    expect(csvCheck('c', 'x', 'a,b\n1,2\n', 'a,b\n1,2\n')).toEqual({ case: 'c', check: 'x', ok: true });
    expect(csvCheck('c', 'x', 'a,b\n', undefined).ok).toBe(true);
  });

  it('fails an absent result for a file with rows, and names the first differing line', () => {
    expect(csvCheck('c', 'x', 'a,b\n1,2\n', undefined)).toMatchObject({
      ok: false,
      detail: 'object missing',
    });
    expect(csvCheck('c', 'x', 'a,b\n1,2\n', 'a,b\n1,3\n')).toMatchObject({
      ok: false,
      detail: 'line 2: expected "1,2", got "1,3" (3 lines each)',
    });
  });

  it('counts failures in the table summary', () => {
    const table = formatSmokeTable([
      { case: 'c', check: 'x', ok: true },
      { case: 'c', check: 'y', ok: false, detail: 'object missing' },
    ]);
    expect(table).toContain('c     y      FAIL object missing');
    expect(table.endsWith('1 of 2 checks failed\n')).toBe(true);
  });
});
