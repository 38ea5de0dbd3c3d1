import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AcceptanceError,
  csvCheck,
  formatSmokeTable,
  goldenCasesIn,
  lakeFolderKeys,
  readGoldenCase,
  repositoryGoldenCases,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('repositoryGoldenCases', () => {
  it("finds the repository's own cases from a folder inside it", () => {
    const names = repositoryGoldenCases(here).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['basic', 'dst', 'edges']));
  });

  it('finds none outside a repository', () => {
    expect(repositoryGoldenCases('/')).toEqual([]);
  });
});

describe('readGoldenCase', () => {
  it('reads a case folder as repositoryGoldenCases does, named after the folder', () => {
    const [first] = repositoryGoldenCases(here);
    const read = readGoldenCase(first?.dir ?? '');
    expect(read.name).toBe(first?.name);
    expect(read.days).toEqual(first?.days);
    expect(read.processedCsv).toBe(first?.processedCsv);
  });

  it('refuses a folder that is not a case, naming it and what it lacks', () => {
    const read = () => readGoldenCase('/nonexistent/case');
    expect(read).toThrow(AcceptanceError);
    expect(read).toThrow(
      '/nonexistent/case is not a golden case (it needs settings.json, lake/raw/ and expected/; missing settings.json, expected, lake/raw)',
    );
  });
});

describe('lakeFolderKeys', () => {
  it("lists a case lake's files under a prefix as lake keys, in code-unit order", () => {
    const basic = repositoryGoldenCases(here).find((c) => c.name === 'basic');
    const keys = lakeFolderKeys(basic?.lakeDir ?? '', 'raw/');
    expect(keys.some((k) => k.startsWith('raw/playback/'))).toBe(true);
    expect(keys.every((k) => k.startsWith('raw/') && !k.includes('\\'))).toBe(true);
    expect(keys).toEqual([...keys].sort());
  });

  it('lists nothing under a prefix the folder does not have', () => {
    expect(lakeFolderKeys('/nonexistent/lake', 'raw/')).toEqual([]);
  });
});

describe('goldenCasesIn', () => {
  it('holds no case in a missing folder', () => {
    expect(goldenCasesIn('/nonexistent/cases', 'fixtures')).toEqual([]);
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
