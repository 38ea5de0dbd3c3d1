import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCases } from '@streampulse/golden';
import { describe, expect, it } from 'vitest';
import {
  classifyKey,
  compareKeys,
  decodeFile,
  FileDecodeError,
  type DecodedRecord,
  type FileType,
} from '../src/index.js';

const RAW_PREFIXES = ['raw/playback/', 'raw/content_metadata/', 'raw/user_profiles/'];

/** Why the golden lakes' failing files fail, for the ones this package knows by name. */
const KNOWN_FAILURES: Record<string, string> = {
  'raw/playback/dt=2025-03-16/truncated.csv.gz': 'truncated_gzip',
  'raw/playback/b/open-quote.tsv': 'csv_quote_error',
  'raw/playback/b/quote-error.csv': 'csv_quote_error',
};

/** Every file under the prefix, as lake keys in key order. */
function keysUnder(lakeDir: string, prefix: string): string[] {
  const entries = readdirSync(join(lakeDir, prefix), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(lakeDir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort(compareKeys);
}

type Outcome = { records: DecodedRecord[] } | { error: unknown };

async function decodeLakeFile(lakeDir: string, key: string, type: FileType): Promise<Outcome> {
  const records: DecodedRecord[] = [];
  try {
    for await (const batch of decodeFile(createReadStream(join(lakeDir, key)), type)) records.push(...batch);
    return { records };
  } catch (error) {
    return { error };
  }
}

describe.each(goldenCases())('the golden lake $name ($origin)', (golden) => {
  const keys = RAW_PREFIXES.flatMap((prefix) =>
    keysUnder(golden.lakeDir, prefix).map((key) => ({ key, prefix })),
  );

  it('reports as unsupported exactly the files the report lists as skipped', () => {
    const unsupported = keys.filter(({ key, prefix }) => classifyKey(key, prefix).kind === 'unsupported');
    expect(unsupported.map(({ key }) => key).sort(compareKeys)).toEqual(
      [...golden.report.files_skipped].sort(compareKeys),
    );
  });

  it('fails exactly the files the report lists as failed, decoding every other data file', async () => {
    const failed: string[] = [];
    let malformedPlayback = 0;
    for (const { key, prefix } of keys) {
      const kind = classifyKey(key, prefix);
      if (kind.kind !== 'data') continue;
      const outcome = await decodeLakeFile(golden.lakeDir, key, kind.type);
      if ('error' in outcome) {
        expect(outcome.error, key).toBeInstanceOf(FileDecodeError);
        const known = KNOWN_FAILURES[key];
        if (known !== undefined) expect((outcome.error as FileDecodeError).code, key).toBe(known);
        failed.push(key);
        continue;
      }
      const rows = outcome.records.map((record) => record.row);
      expect(rows, `${key} numbers its records 1, 2, 3...`).toEqual(rows.map((_, i) => i + 1));
      if (prefix === 'raw/playback/')
        malformedPlayback += outcome.records.filter((record) => !record.ok).length;
    }
    expect(failed.sort(compareKeys)).toEqual([...golden.report.files_failed].sort(compareKeys));
    // malformed_row is the first rule a playback row is checked against, so its count is the decoder's.
    expect(malformedPlayback).toBe(golden.report.rejected_by_reason['malformed_row'] ?? 0);
  });
});

const edgesLake = goldenCases().find((golden) => golden.name === 'edges')?.lakeDir ?? '';

describe.runIf(edgesLake !== '')('the edges lake, file by file', () => {
  it('reads dups.csv: CR line ends, a blank row, a white-space row and a comma row', async () => {
    const outcome = await decodeLakeFile(edgesLake, 'raw/playback/a/dups.csv', {
      format: 'csv',
      gzip: false,
    });
    expect('records' in outcome).toBe(true);
    const records = 'records' in outcome ? outcome.records : [];
    expect(records.map((record) => [record.row, record.ok])).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, true],
      [5, true],
    ]);
    expect(records[0]).toMatchObject({
      fields: [
        ['session_id', 'P1'],
        ['start', ''],
        ['user_id', '7'],
        ['content_id', 'E1'],
        ['device', 'Smart TV'],
        ['start_time', '2025-03-10T10:00:00Z'],
        ['end_time', '2025-03-10T10:30:00Z'],
      ],
    });
    expect(records[2]).toMatchObject({ raw: ['   '], detail: '1 field, header has 7' });
    expect(records[3]).toMatchObject({ ok: true, fields: expect.arrayContaining([['session_id', '']]) });
  });

  it('names the row of each quoting error', async () => {
    const openQuote = await decodeLakeFile(edgesLake, 'raw/playback/b/open-quote.tsv', {
      format: 'tsv',
      gzip: false,
    });
    const afterQuote = await decodeLakeFile(edgesLake, 'raw/playback/b/quote-error.csv', {
      format: 'csv',
      gzip: false,
    });
    expect('error' in openQuote && (openQuote.error as Error).message).toBe(
      'quote left open at end of file (row 1)',
    );
    expect('error' in afterQuote && (afterQuote.error as Error).message).toBe(
      'text after a closing quote at row 2',
    );
  });

  it('reads BOM-prefixed JSON Lines with blank lines, and empty files as no records', async () => {
    const values = await decodeLakeFile(edgesLake, 'raw/playback/c/values.jsonl', {
      format: 'jsonl',
      gzip: false,
    });
    const records = 'records' in values ? values.records : [];
    expect(records).toHaveLength(12);
    expect(records[0]).toMatchObject({ ok: true, fields: expect.arrayContaining([['session_id', 101]]) });
    for (const [key, format] of [
      ['raw/playback/a/empty.csv', 'csv'],
      ['raw/playback/a/empty.json', 'json'],
      ['raw/playback/a/header-only.CSV', 'csv'],
    ] as const) {
      expect(await decodeLakeFile(edgesLake, key, { format, gzip: false }), key).toEqual({
        records: [],
      });
    }
  });
});
