import { describe, expect, it } from 'vitest';
import { encodeCsvRow } from '../src/index.js';
import { CSV, decodeText, TSV } from './helpers.js';

describe('encodeCsvRow', () => {
  it('writes plain values as they are', () => {
    expect(encodeCsvRow(['S1', ' spaced ', '', '2025-03-10T10:00:00.000Z'])).toBe(
      'S1, spaced ,,2025-03-10T10:00:00.000Z',
    );
  });

  it('quotes a value holding the delimiter, a quote, a CR or an LF, doubling its quotes', () => {
    expect(encodeCsvRow(['a,b', 'say "hi"', 'x\ny', 'x\ry', 'tab\there'])).toBe(
      '"a,b","say ""hi""","x\ny","x\ry",tab\there',
    );
  });

  it('quotes by the delimiter in use', () => {
    expect(encodeCsvRow(['a,b', 'c\td'], '\t')).toBe('a,b\t"c\td"');
  });

  it('writes a row of one empty value as "" so it is not read back as an empty line', () => {
    expect(encodeCsvRow([''])).toBe('""');
    expect(encodeCsvRow([])).toBe('');
  });

  it('rejects a delimiter that cannot work', () => {
    for (const delimiter of ['', ';;', '"', '\n', '\r']) {
      expect(() => encodeCsvRow(['a'], delimiter)).toThrow(RangeError);
    }
  });

  it('round-trips through decodeFile', async () => {
    const rows = [
      ['id', 'text', 'other'],
      ['1', 'The "Big", Story\r\nPart 2', ''],
      ['"', '""', ' , '],
      ['\r', '\n', 'ü😀'],
    ];
    for (const [type, delimiter] of [
      [CSV, ','],
      [TSV, '\t'],
    ] as const) {
      const text = rows.map((row) => encodeCsvRow(row, delimiter)).join('\r\n');
      const records = await decodeText(type, text);
      expect(
        records.map((record) => (record.ok ? record.fields.map(([, value]) => value) : record.raw)),
      ).toEqual(rows.slice(1));
    }
    const single = await decodeText(CSV, ['only', ''].map((value) => encodeCsvRow([value])).join('\n'));
    expect(single).toMatchObject([{ row: 1, ok: true, fields: [['only', '']] }]);
  });
});
