import { describe, expect, it } from 'vitest';
import { classifyKey, compareKeys } from '../src/index.js';

describe('classifyKey', () => {
  it.each([
    ['raw/playback/dt=2025-03-10/part-0001.csv', 'csv', false],
    ['raw/playback/dt=2025-03-11/part-0002.csv.gz', 'csv', true],
    ['raw/playback/dt=2025-03-12/events.jsonl', 'jsonl', false],
    ['raw/playback/dt=2025-03-13/events.json', 'json', false],
    ['raw/playback/dt=2025-03-14/part-0005.tsv', 'tsv', false],
    ['raw/playback/dt=2025-03-16/truncated.csv.gz', 'csv', true],
    ['raw/playback/a/header-only.CSV', 'csv', false],
    ['raw/playback/a/empty.json', 'json', false],
    ['raw/playback/c/values.jsonl', 'jsonl', false],
    ['raw/playback/events.ndjson', 'jsonl', false],
    ['raw/playback/EVENTS.NDJSON.GZ', 'jsonl', true],
    ['raw/playback/x.Json.Gz', 'json', true],
    ['raw/playback/x.TSV.gz', 'tsv', true],
  ])('reads %s as %s (gzip: %s)', (key, format, gzip) => {
    expect(classifyKey(key, 'raw/playback/')).toEqual({ kind: 'data', type: { format, gzip } });
  });

  it('classifies the user and content files of the golden lakes', () => {
    expect(classifyKey('raw/user_profiles/users.JSONL', 'raw/user_profiles')).toEqual({
      kind: 'data',
      type: { format: 'jsonl', gzip: false },
    });
    expect(
      classifyKey('raw/content_metadata/2025-03-05/catalog_update.jsonl.gz', 'raw/content_metadata/'),
    ).toEqual({
      kind: 'data',
      type: { format: 'jsonl', gzip: true },
    });
  });

  it.each([
    'raw/playback/_SUCCESS',
    'raw/playback/c/_SUCCESS',
    'raw/playback/.DS_Store',
    'raw/playback/_temporary/0/part.csv',
    'raw/content_metadata/.cache/y.csv',
    'raw/playback/dt=1/_tmp.csv',
    'raw/playback/dt=1/.part.csv.crc',
    'raw/playback/dt=2025-03-10/',
  ])('ignores %s', (key) => {
    const prefix = key.startsWith('raw/content_metadata') ? 'raw/content_metadata' : 'raw/playback/';
    expect(classifyKey(key, prefix)).toEqual({ kind: 'ignored' });
  });

  it.each([
    'raw/playback/dt=2025-03-16/notes.txt',
    'raw/playback/c/readme.md',
    'raw/playback/data.csv.zip',
    'raw/playback/data.gz',
    'raw/playback/data.parquet',
    'raw/playback/csv',
    'raw/playback/data.csv.gz.bak',
  ])('reports %s as unsupported', (key) => {
    expect(classifyKey(key, 'raw/playback/')).toEqual({ kind: 'unsupported' });
  });

  it('judges only the folders below the prefix, with or without its trailing slash', () => {
    expect(classifyKey('_lake/.raw/playback/a.csv', '_lake/.raw/playback')).toMatchObject({ kind: 'data' });
    expect(classifyKey('_lake/.raw/playback/a.csv', '_lake/.raw/playback/')).toMatchObject({ kind: 'data' });
    expect(classifyKey('a.csv', '')).toMatchObject({ kind: 'data' });
  });

  it('reports a key outside the prefix as unsupported, even one that merely starts with its text', () => {
    expect(classifyKey('raw/playback_old/a.csv', 'raw/playback')).toEqual({ kind: 'unsupported' });
    expect(classifyKey('raw/users/a.csv', 'raw/playback/')).toEqual({ kind: 'unsupported' });
  });
});

describe('compareKeys', () => {
  it('orders whole keys code unit by code unit, so a file sorts before a folder of the same name', () => {
    expect(compareKeys('raw/x/2025-03-01.csv', 'raw/x/2025-03-01/a.csv')).toBeLessThan(0);
    expect(compareKeys('raw/x/2025-03-01/a.csv', 'raw/x/2025-03-01.csv')).toBeGreaterThan(0);
    expect(compareKeys('raw/x/a.csv', 'raw/x/a.csv')).toBe(0);
  });

  it('sorts upper case before lower case, and by UTF-16 code units rather than locale', () => {
    const keys = ['b.csv', 'a.csv', 'B.csv', 'é.csv', '😀.csv', '\uFF21.csv', '_x.csv', 'a/b.csv'];
    expect([...keys].sort(compareKeys)).toEqual([
      'B.csv',
      '_x.csv',
      'a.csv',
      'a/b.csv',
      'b.csv',
      'é.csv',
      '😀.csv',
      '\uFF21.csv',
    ]);
  });
});
