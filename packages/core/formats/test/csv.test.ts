import { describe, expect, it } from 'vitest';
import { csvHeader, decodeFile, type DecodedRecord } from '../src/index.js';
import {
  chunksOf,
  CSV,
  decodeAll,
  decodeFailure,
  decodeText,
  splitAt,
  summary,
  TSV,
  utf8,
} from './helpers.js';

describe('decodeFile, CSV', () => {
  it('reads the header and gives each row its (name, value) pairs in column order, values untouched', async () => {
    const records = await decodeText(CSV, 'session_id,Device Type,start\nS1, Smart TV ,  2025-03-10 \n');
    expect(records).toEqual([
      {
        row: 1,
        ok: true,
        fields: [
          ['session_id', 'S1'],
          ['Device Type', ' Smart TV '],
          ['start', '  2025-03-10 '],
        ],
        raw: { session_id: 'S1', 'Device Type': ' Smart TV ', start: '  2025-03-10 ' },
      },
    ]);
  });

  it('keeps duplicate header names in order, and keys them name#2, name#3 in raw', async () => {
    const [record] = await decodeText(CSV, 'id,start,id,start_time,id\n1,a,2,b,3\n');
    expect(record).toMatchObject({
      ok: true,
      fields: [
        ['id', '1'],
        ['start', 'a'],
        ['id', '2'],
        ['start_time', 'b'],
        ['id', '3'],
      ],
      raw: { id: '1', start: 'a', 'id#2': '2', start_time: 'b', 'id#3': '3' },
    });
  });

  it('never lets a name#2 raw key clash with a header of that very name', async () => {
    const [record] = await decodeText(CSV, 'a,a#2,a\n1,2,3\n');
    expect(record?.raw).toEqual({ a: '1', 'a#2': '2', 'a#3': '3' });
  });

  it('keeps a header named __proto__ as an ordinary raw key', async () => {
    const [record] = await decodeText(CSV, '__proto__,b\n1,2\n');
    expect(Object.keys(record?.raw as object)).toEqual(['__proto__', 'b']);
    expect(JSON.stringify(record?.raw)).toBe('{"__proto__":"1","b":"2"}');
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR only', '\r'],
  ])('reads %s line ends', async (_name, end) => {
    const records = await decodeText(CSV, ['a,b', '1,2', '3,4', ''].join(end));
    expect(summary(records)).toEqual([
      { row: 1, values: ['1', '2'] },
      { row: 2, values: ['3', '4'] },
    ]);
  });

  it('reads a CRLF split between two chunks as one line end', async () => {
    const records = await decodeText(CSV, 'a,b\r', '\n1,2\r', '\n3,4\r', '\n');
    expect(summary(records)).toEqual([
      { row: 1, values: ['1', '2'] },
      { row: 2, values: ['3', '4'] },
    ]);
  });

  it('reads a CR-only file whose CRs end the chunks', async () => {
    const records = await decodeText(CSV, 'a,b\r', '1,2\r', '\r', '3,4\r');
    expect(summary(records)).toEqual([
      { row: 1, values: ['1', '2'] },
      { row: 2, values: ['3', '4'] },
    ]);
  });

  it('takes the last line without a line end, and adds no row for a trailing line end', async () => {
    expect(summary(await decodeText(CSV, 'a,b\n1,2'))).toEqual([{ row: 1, values: ['1', '2'] }]);
    expect(summary(await decodeText(CSV, 'a,b\n1,2\n'))).toEqual([{ row: 1, values: ['1', '2'] }]);
    expect(summary(await decodeText(CSV, 'a,b\n1,'))).toEqual([{ row: 1, values: ['1', ''] }]);
  });

  it('skips empty lines without counting them, before the header too', async () => {
    const records = await decodeText(CSV, '\n\r\n\ra,b\n\n1,2\r\n\r\n3,4\r\r5,6\n\n');
    expect(summary(records)).toEqual([
      { row: 1, values: ['1', '2'] },
      { row: 2, values: ['3', '4'] },
      { row: 3, values: ['5', '6'] },
    ]);
  });

  it('counts a line of white space as a row of one field (malformed against a wider header)', async () => {
    const records = await decodeText(CSV, 'a,b\n   \n\t\n');
    expect(records).toEqual([
      { row: 1, ok: false, raw: ['   '], detail: '1 field, header has 2' },
      { row: 2, ok: false, raw: ['\t'], detail: '1 field, header has 2' },
    ]);
  });

  it('counts a line of delimiters alone as a row of empty fields', async () => {
    const records = await decodeText(CSV, 'a,b,c,d,e,f,g\n,,,,,,\n,,\n');
    expect(records).toEqual([
      {
        row: 1,
        ok: true,
        fields: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => [name, '']),
        raw: { a: '', b: '', c: '', d: '', e: '', f: '', g: '' },
      },
      { row: 2, ok: false, raw: ['', '', ''], detail: '3 fields, header has 7' },
    ]);
  });

  it('reports short and long rows as malformed with their fields, keeping the rows around them', async () => {
    const records = await decodeText(CSV, 'a,b,c,d,e,f\n1,2,3\n1,2,3,4,5,6,7\n1,2,3,4,5,6\n');
    expect(records).toEqual([
      { row: 1, ok: false, raw: ['1', '2', '3'], detail: '3 fields, header has 6' },
      { row: 2, ok: false, raw: ['1', '2', '3', '4', '5', '6', '7'], detail: '7 fields, header has 6' },
      expect.objectContaining({ row: 3, ok: true }),
    ]);
  });

  it('reads quoted fields holding delimiters, doubled quotes and every kind of line end', async () => {
    const text =
      'id,title,genre\r\nC7,"  The ""Big"", C7\r\nStory  ","Action,\nAdventure"\r\nC8,"a\rb",""\r\n';
    const records = await decodeText(CSV, text);
    expect(summary(records)).toEqual([
      { row: 1, values: ['C7', '  The "Big", C7\r\nStory  ', 'Action,\nAdventure'] },
      { row: 2, values: ['C8', 'a\rb', ''] },
    ]);
  });

  it('counts a record spanning several lines once', async () => {
    const records = await decodeText(CSV, 'a,b\n"x\ny\nz",1\n2,3\n');
    expect(records.map((record) => record.row)).toEqual([1, 2]);
  });

  it('treats a quote inside an unquoted field as an ordinary character', async () => {
    const records = await decodeText(CSV, 'a,b\nsay "hi",5" screen\n');
    expect(summary(records)).toEqual([{ row: 1, values: ['say "hi"', '5" screen'] }]);
  });

  it('reads a quoted header', async () => {
    const records = await decodeText(CSV, '"Content ID","Title, full"\nC1,T\n');
    expect(records[0]).toMatchObject({
      fields: [
        ['Content ID', 'C1'],
        ['Title, full', 'T'],
      ],
    });
  });

  it('fails the file on a quote left open at the end, naming the row', async () => {
    const error = await decodeFailure(chunksOf('a,b\n1,2\n3,"4\n5,6\n'), CSV);
    expect(error.code).toBe('csv_quote_error');
    expect(error.row).toBe(2);
    expect(error.message).toBe('quote left open at end of file (row 2)');
  });

  it('fails the file on text right after a closing quote, naming the row', async () => {
    const error = await decodeFailure(chunksOf('a,b\nQ1,7\n"Q2"x,7\n'), CSV);
    expect(error.code).toBe('csv_quote_error');
    expect(error.row).toBe(2);
    expect(error.message).toBe('text after a closing quote at row 2');
  });

  it('fails the file on a quoting error in the header', async () => {
    const error = await decodeFailure(chunksOf('"a" ,b\n1,2\n'), CSV);
    expect(error.code).toBe('csv_quote_error');
    expect(error.row).toBeUndefined();
    expect(error.message).toBe('text after a closing quote at the header row');
  });

  it('gives zero records for an empty file, a file of empty lines, and a header alone', async () => {
    expect(await decodeText(CSV)).toEqual([]);
    expect(await decodeText(CSV, '')).toEqual([]);
    expect(await decodeText(CSV, '\r\n\n\r')).toEqual([]);
    expect(await decodeText(CSV, 'session_id,user_id\n')).toEqual([]);
    expect(await decodeText(CSV, 'session_id,user_id')).toEqual([]);
    expect(await decodeText(CSV, 'session_id,user_id\r\n\r\n')).toEqual([]);
  });

  it('strips a BOM, also one split between chunks', async () => {
    const bytes = utf8('\uFEFFa,b\n1,2\n');
    for (const cut of [0, 1, 2, 3]) {
      const records = await decodeAll(chunksOf(...splitAt(bytes, cut)), CSV);
      expect(records[0]).toMatchObject({
        fields: [
          ['a', '1'],
          ['b', '2'],
        ],
      });
    }
  });

  it('reads TSV with the same quoting, commas being ordinary characters there', async () => {
    const records = await decodeText(TSV, 'a\tb\tc\n1,5\t"x\ty"\t"line\nbreak"\n\t\t\n');
    expect(summary(records)).toEqual([
      { row: 1, values: ['1,5', 'x\ty', 'line\nbreak'] },
      { row: 2, values: ['', '', ''] },
    ]);
  });

  it('decodes the same records however the bytes are split into chunks', async () => {
    const tricky =
      '\uFEFFid,"na""me",note\r\n\r\n' +
      'a1,"x,\r\ny""z",plain\r' +
      '\r' +
      'a2,"",  \n' +
      '   \n' +
      ',,\r\n' +
      'a3,ü€😀,"quo""ted"\r\n' +
      'a4,say "hi",""""\n' +
      'a5,"multi\rline",last';
    const bytes = utf8(tricky);
    const whole = await decodeAll(chunksOf(bytes), CSV);
    expect(summary(whole)).toEqual([
      { row: 1, values: ['a1', 'x,\r\ny"z', 'plain'] },
      { row: 2, values: ['a2', '', '  '] },
      { row: 3, malformed: ['   '] },
      { row: 4, values: ['', '', ''] },
      { row: 5, values: ['a3', 'ü€😀', 'quo"ted'] },
      { row: 6, values: ['a4', 'say "hi"', '"'] },
      { row: 7, values: ['a5', 'multi\rline', 'last'] },
    ]);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await decodeAll(chunksOf(...splitAt(bytes, cut)), CSV), `cut at ${cut}`).toEqual(whole);
      for (let second = cut + 1; second < bytes.length; second += 7) {
        expect(
          await decodeAll(chunksOf(...splitAt(bytes, cut, second)), CSV),
          `cut at ${cut}, ${second}`,
        ).toEqual(whole);
      }
    }
    const oneByteChunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(await decodeAll(chunksOf(...oneByteChunks), CSV)).toEqual(whole);
  });

  it('reports a quoting error the same however the bytes are split', async () => {
    const bytes = utf8('a,b\r\n1,2\r\n"3"\r\n"4"x,5\r\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      const error = await decodeFailure(chunksOf(...splitAt(bytes, cut)), CSV);
      expect(error.message, `cut at ${cut}`).toBe('text after a closing quote at row 3');
    }
  });

  it('yields records in bounded batches, even from one huge chunk', async () => {
    const lines = ['a,b,c'];
    for (let i = 0; i < 50_000; i++) lines.push(`${i},value-${i},"quoted ${i}"`);
    const batches: DecodedRecord[][] = [];
    for await (const batch of decodeFile(chunksOf(lines.join('\n')), CSV)) batches.push(batch);
    expect(batches.length).toBeGreaterThan(10);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThan(10_000);
    const rows = batches.flat().map((record) => record.row);
    expect(rows).toEqual(Array.from({ length: 50_000 }, (_, i) => i + 1));
  });

  it('reads a quoted field far longer than a chunk', async () => {
    const long = 'x"'.repeat(200_000);
    const encoded = `"${long.replaceAll('"', '""')}"`;
    const chunks = splitAt(utf8(`a,b\n1,${encoded}\n2,3\n`), 5, 1000, 70_000, 300_000);
    const records = await decodeAll(chunksOf(...chunks), CSV);
    expect(summary(records)).toEqual([
      { row: 1, values: ['1', long] },
      { row: 2, values: ['2', '3'] },
    ]);
  });
});

describe('csvHeader', () => {
  it('takes the first record that is not an empty line, quotes undone and a BOM dropped', () => {
    expect(csvHeader('\uFEFF\r\n\nsession_id,"user ""id"""\n1,2\n', ',')).toEqual([
      'session_id',
      'user "id"',
    ]);
    expect(csvHeader('a\tb', '\t')).toEqual(['a', 'b']);
  });

  it('keeps a quote inside an unquoted name, as the reader does', () => {
    expect(csvHeader('a,conte""nt_id,b\r1,2,3', ',')).toEqual(['a', 'conte""nt_id', 'b']);
  });

  it('gives undefined for a text with no header or a quoting error before its end', () => {
    expect(csvHeader('', ',')).toBeUndefined();
    expect(csvHeader('\n\n', ',')).toBeUndefined();
    expect(csvHeader('"a,b', ',')).toBeUndefined();
    expect(csvHeader('"a"x,b\n', ',')).toBeUndefined();
  });
});
