import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeFile, type FileType } from '../src/index.js';
import { chunksOf, CSV, decodeAll, decodeFailure, JSONL, splitAt, summary, utf8 } from './helpers.js';

const CSV_GZ: FileType = { format: 'csv', gzip: true };
const JSONL_GZ: FileType = { format: 'jsonl', gzip: true };

function manyRows(count: number): string {
  const lines = ['session_id,title'];
  for (let i = 0; i < count; i++) lines.push(`S${i},"Title, ${i}"`);
  return `${lines.join('\r\n')}\r\n`;
}

describe('decodeFile, gzip', () => {
  it('decodes gzip-compressed CSV and JSON Lines, whatever the chunking', async () => {
    const text = manyRows(5000);
    const plain = await decodeAll(chunksOf(text), CSV);
    const gz = gzipSync(utf8(text));
    expect(await decodeAll(chunksOf(gz), CSV_GZ)).toEqual(plain);
    expect(await decodeAll(chunksOf(...splitAt(gz, 1, 2, 10, 100, gz.length - 3)), CSV_GZ)).toEqual(plain);
    expect(plain).toHaveLength(5000);

    const jsonl = '{"a":1}\n{"a":2}\n';
    expect(summary(await decodeAll(chunksOf(gzipSync(utf8(jsonl))), JSONL_GZ))).toEqual([
      { row: 1, values: [1] },
      { row: 2, values: [2] },
    ]);
  });

  it('reads concatenated gzip members as one file', async () => {
    const gz = Buffer.concat([gzipSync(utf8('a,b\n1,')), gzipSync(utf8('2\n3,4\n'))]);
    expect(summary(await decodeAll(chunksOf(gz), CSV_GZ))).toEqual([
      { row: 1, values: ['1', '2'] },
      { row: 2, values: ['3', '4'] },
    ]);
  });

  it('fails a truncated gzip file with truncated_gzip', async () => {
    const gz = gzipSync(utf8(manyRows(2000)));
    for (const length of [gz.length - 1, gz.length - 8, Math.floor(gz.length / 2), 5]) {
      const error = await decodeFailure(chunksOf(gz.subarray(0, length)), CSV_GZ);
      expect(error.code, `cut to ${length} bytes`).toBe('truncated_gzip');
      expect(error.message).toBe('gzip data ends early (truncated)');
      expect(error.cause).toBeInstanceOf(Error);
    }
  });

  it('fails data that is not gzip with invalid_gzip', async () => {
    const error = await decodeFailure(chunksOf('a,b\n1,2\n'), CSV_GZ);
    expect(error.code).toBe('invalid_gzip');
    expect(error.message).toMatch(/^not valid gzip data/);
  });

  it('fails gzip data corrupted in the middle with invalid_gzip', async () => {
    const gz = Buffer.from(gzipSync(utf8(manyRows(2000))));
    gz.fill(0xff, 20, 60);
    expect((await decodeFailure(chunksOf(gz), CSV_GZ)).code).toBe('invalid_gzip');
  });

  it('reads a file without a single byte as empty, gzip or not', async () => {
    expect(await decodeAll(chunksOf(), CSV_GZ)).toEqual([]);
    expect(await decodeAll(chunksOf(new Uint8Array(0)), CSV_GZ)).toEqual([]);
  });

  it('stops reading the source when the consumer stops early', async () => {
    let returned = false;
    const gz = gzipSync(utf8(manyRows(200_000)));
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let start = 0; start < gz.length; start += 4096) yield gz.subarray(start, start + 4096);
      } finally {
        returned = true;
      }
    }
    for await (const batch of decodeFile(source(), CSV_GZ)) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(returned).toBe(true);
  });
});

describe('decodeFile, UTF-8', () => {
  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = utf8('name\nmünchen 😀 東京\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(summary(await decodeAll(chunksOf(...splitAt(bytes, cut)), CSV))).toEqual([
        { row: 1, values: ['münchen 😀 東京'] },
      ]);
    }
  });

  it('fails a file with invalid UTF-8 with invalid_utf8', async () => {
    const bytes = Uint8Array.from([...utf8('a,b\n1,'), 0xff, ...utf8('\n')]);
    const error = await decodeFailure(chunksOf(bytes), CSV);
    expect(error.code).toBe('invalid_utf8');
    expect(error.message).toMatch(/^invalid UTF-8/);
  });

  it('fails invalid UTF-8 split across a chunk boundary (a lead byte, then no continuation)', async () => {
    // 0xC3 opens a two-byte character; the next chunk starts with an ASCII byte instead.
    const error = await decodeFailure(chunksOf(utf8('a,b\n1,x'), Uint8Array.of(0xc3), utf8('2\n')), CSV);
    expect(error.code).toBe('invalid_utf8');
  });

  it('fails a character left incomplete at the end of the file', async () => {
    const error = await decodeFailure(chunksOf(utf8('a\n1'), Uint8Array.of(0xe2, 0x82)), CSV);
    expect(error.code).toBe('invalid_utf8');
    expect(error.message).toContain('end');
  });

  it('fails invalid UTF-8 in a gzip file and in JSON Lines too', async () => {
    const bytes = Uint8Array.from([...utf8('{"a":"'), 0xc0, 0xaf, ...utf8('"}\n')]);
    expect((await decodeFailure(chunksOf(gzipSync(bytes)), JSONL_GZ)).code).toBe('invalid_utf8');
    expect((await decodeFailure(chunksOf(bytes), JSONL)).code).toBe('invalid_utf8');
  });

  it('passes an error of the source through unchanged, gzip or not', async () => {
    const broken = Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
    async function* failing(first: Uint8Array): AsyncGenerator<Uint8Array> {
      yield first;
      throw broken;
    }
    const text = utf8('a,b\n1,2\n');
    await expect(decodeAll(failing(text), CSV)).rejects.toBe(broken);
    await expect(decodeAll(failing(gzipSync(text)), CSV_GZ)).rejects.toBe(broken);
  });
});
