import { describe, expect, it } from 'vitest';
import { decodeFile } from '../src/index.js';
import {
  chunksOf,
  decodeAll,
  decodeFailure,
  decodeText,
  JSON_FILE,
  JSONL,
  splitAt,
  summary,
  utf8,
} from './helpers.js';

describe('decodeFile, JSON Lines', () => {
  it('gives each object its (key, value) pairs in key order, values as parsed, raw the object', async () => {
    const records = await decodeText(
      JSONL,
      '{"session_id": 101, "end": 1741600060.25, "tags": ["a"], "x": null}\n',
    );
    expect(records).toEqual([
      {
        row: 1,
        ok: true,
        fields: [
          ['session_id', 101],
          ['end', 1741600060.25],
          ['tags', ['a']],
          ['x', null],
        ],
        raw: { session_id: 101, end: 1741600060.25, tags: ['a'], x: null },
      },
    ]);
  });

  it('skips empty and white-space lines without counting them, with LF, CRLF or CR line ends', async () => {
    const records = await decodeText(JSONL, '\n{"a":1}\r\n\r\n   \n\t\r{"a":2}\r{"a":3}\n\n');
    expect(summary(records)).toEqual([
      { row: 1, values: [1] },
      { row: 2, values: [2] },
      { row: 3, values: [3] },
    ]);
  });

  it('reports a line that is not an object as malformed, with the parsed value as raw', async () => {
    const records = await decodeText(JSONL, '[1,2]\n42\n"text"\nnull\ntrue\n{"ok":1}\n');
    expect(records.map((record) => (record.ok ? 'ok' : [record.raw, record.detail]))).toEqual([
      [[1, 2], 'a JSON array, not an object'],
      [42, 'a JSON number, not an object'],
      ['text', 'a JSON string, not an object'],
      [null, 'JSON null, not an object'],
      [true, 'a JSON boolean, not an object'],
      'ok',
    ]);
    expect(records.map((record) => record.row)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reports a line that is not valid JSON as malformed, with its text as raw, and reads on', async () => {
    const records = await decodeText(JSONL, '{"a":1}\n{"a": oops}\n{"a":3}\n');
    expect(records[1]).toMatchObject({ row: 2, ok: false, raw: '{"a": oops}' });
    expect(records[1]?.ok === false && records[1].detail).toMatch(/^not valid JSON \(/);
    expect(summary(records.filter((record) => record.ok))).toEqual([
      { row: 1, values: [1] },
      { row: 3, values: [3] },
    ]);
  });

  it('takes the last line without a line end, strips a BOM, and gives zero records for an empty file', async () => {
    expect(summary(await decodeText(JSONL, '\uFEFF{"a":1}\n{"a":2}'))).toEqual([
      { row: 1, values: [1] },
      { row: 2, values: [2] },
    ]);
    expect(await decodeText(JSONL)).toEqual([]);
    expect(await decodeText(JSONL, '\n  \r\n')).toEqual([]);
  });

  it('decodes the same records however the bytes are split into chunks', async () => {
    const bytes = utf8('{"a":"ü😀"}\r\n\r\n{"a":[1,\n{"b":2}\r{"a":"x"}  \n');
    const whole = await decodeAll(chunksOf(bytes), JSONL);
    expect(summary(whole)).toEqual([
      { row: 1, values: ['ü😀'] },
      { row: 2, malformed: '{"a":[1,' },
      { row: 3, values: [2] },
      { row: 4, values: ['x'] },
    ]);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await decodeAll(chunksOf(...splitAt(bytes, cut)), JSONL), `cut at ${cut}`).toEqual(whole);
    }
  });
});

describe('decodeFile, .json', () => {
  it('reads an array of objects, numbering elements by position', async () => {
    const records = await decodeText(
      JSON_FILE,
      '[{"customer_id": "U1", "geo_region": null}, {"customer_id": "U2"}]',
    );
    expect(records).toEqual([
      {
        row: 1,
        ok: true,
        fields: [
          ['customer_id', 'U1'],
          ['geo_region', null],
        ],
        raw: { customer_id: 'U1', geo_region: null },
      },
      { row: 2, ok: true, fields: [['customer_id', 'U2']], raw: { customer_id: 'U2' } },
    ]);
  });

  it('finds element ends past nested objects, and strings with brackets, commas and escapes', async () => {
    const elements = [
      { a: '],}{[', nested: { deep: [1, [2, { x: ']' }]] } },
      { quote: 'say "hi" \\', path: 'C:\\dir\\', unicode: '\u00fc\u{1F600}' },
      { empty: {}, list: [], s: '\\"' },
    ];
    const text = `\uFEFF \r\n[ ${elements.map((element) => JSON.stringify(element)).join(' ,\n')} ]\n`;
    const bytes = utf8(text);
    const whole = await decodeAll(chunksOf(bytes), JSON_FILE);
    expect(whole.map((record) => record.raw)).toEqual(elements);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await decodeAll(chunksOf(...splitAt(bytes, cut)), JSON_FILE), `cut at ${cut}`).toEqual(whole);
    }
  });

  it('reports an element that is not an object as malformed, with the element as raw', async () => {
    const records = await decodeText(JSON_FILE, '[{"a":1}, 7, "s,]", [1, {"b": 2}], null, {"a":2}]');
    expect(summary(records)).toEqual([
      { row: 1, values: [1] },
      { row: 2, malformed: 7 },
      { row: 3, malformed: 's,]' },
      { row: 4, malformed: [1, { b: 2 }] },
      { row: 5, malformed: null },
      { row: 6, values: [2] },
    ]);
  });

  it('gives zero records for an empty array, an empty file and a blank file', async () => {
    expect(await decodeText(JSON_FILE, ' [ \n ] \n')).toEqual([]);
    expect(await decodeText(JSON_FILE)).toEqual([]);
    expect(await decodeText(JSON_FILE, ' \r\n\t')).toEqual([]);
  });

  it.each([
    [
      'an unterminated array',
      '[{"a":1}, {"a":2}',
      'the array is not closed (the file ends inside element 2)',
      2,
    ],
    [
      'an unterminated array after a comma',
      '[{"a":1},',
      'the array is not closed (the file ends after element 1)',
      undefined,
    ],
    ['an unterminated string', '[{"a":"1}]', 'the array is not closed (the file ends inside element 1)', 1],
    ['an invalid element', '[{"a":1}, {"a": nope}]', 'element 2 is not valid JSON', 2],
    ['an unbalanced brace', '[{"a":1}}]', 'element 1 has a } without its {', 1],
    [
      'text after the closing bracket',
      '[{"a":1}] x',
      'text after the closing ] (after element 1)',
      undefined,
    ],
    ['a second array', '[{"a":1}]\n[{"a":2}]', 'text after the closing ] (after element 1)', undefined],
    ['a trailing comma', '[{"a":1},]', 'element 2 is missing (a stray comma)', 2],
    ['a missing element', '[,{"a":1}]', 'element 1 is missing (a stray comma)', 1],
  ])('fails the file on %s (broken_json)', async (_name, text, problem, row) => {
    const error = await decodeFailure(chunksOf(text), JSON_FILE);
    expect(error.code).toBe('broken_json');
    expect(error.message).toContain(problem);
    expect(error.row).toBe(row);
  });

  it('yields the elements of an array before its end has arrived', async () => {
    const first = `[${Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: i, pad: 'x'.repeat(50) })).join(',')},`;
    async function* neverEnding(): AsyncGenerator<Uint8Array> {
      yield utf8(first);
      throw new Error('the source stops here');
    }
    let seen = 0;
    await expect(async () => {
      for await (const batch of decodeFile(neverEnding(), JSON_FILE)) seen += batch.length;
    }).rejects.toThrow('the source stops here');
    expect(seen).toBe(2000);
  });

  it('reads JSON Lines when the first non-blank character is not [', async () => {
    const records = await decodeText(JSON_FILE, '\n  {"a":1}\n\n[1]\n{"a":2}\n');
    expect(summary(records)).toEqual([
      { row: 1, values: [1] },
      { row: 2, malformed: [1] },
      { row: 3, values: [2] },
    ]);
  });
});
