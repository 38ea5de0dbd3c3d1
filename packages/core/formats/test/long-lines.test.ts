import { describe, expect, it } from 'vitest';
import { decodeFile, type DecodedRecord, type FileFormat } from '../src/index.js';

// A long line arrives in many 64 KiB pieces; the readers hold those pieces and join them once at
// the line's end (they used to join at every piece: a 20 MB line took seconds, 200 MB hours).
async function decodeAll(text: string, format: FileFormat): Promise<DecodedRecord[]> {
  const bytes = Buffer.from(text);
  async function* pieces() {
    for (let i = 0; i < bytes.length; i += 65_536) yield bytes.subarray(i, i + 65_536);
  }
  const records: DecodedRecord[] = [];
  for await (const batch of decodeFile(pieces(), { format, gzip: false })) records.push(...batch);
  return records;
}

const long = 'x'.repeat(8 * 1024 * 1024);

describe('a single 8 MB line cut into 64 KiB pieces', () => {
  it('reads a CSV row whose last field is the long value, then the next row', async () => {
    const records = await decodeAll(`a,b\n1,${long}\n2,y\n`, 'csv');
    expect(records.map((r) => (r.ok ? [r.values[0], (r.values[1] as string).length] : r.detail))).toEqual([
      ['1', long.length],
      ['2', 1],
    ]);
  });

  it('reads a CSV file that ends inside the long line', async () => {
    const records = await decodeAll(`a,b\n1,${long}`, 'csv');
    expect(records).toHaveLength(1);
    expect(records[0]?.ok && (records[0].values[1] as string).length).toBe(long.length);
  });

  it('reads a JSON line and a JSON array element holding the long value', async () => {
    for (const [text, format] of [
      [`{"v":"${long}"}\n{"v":"z"}\n`, 'jsonl'],
      [`[{"v":"${long}"},{"v":"a\\\\"},{"v":"z"}]`, 'json'],
    ] as const) {
      const records = await decodeAll(text, format);
      expect(records.map((r) => (r.ok ? (r.values[0] as string).length : r.detail))).toEqual(
        format === 'json' ? [long.length, 2, 1] : [long.length, 1],
      );
    }
  });

  it('finds a closing quote after a backslash run that spans the held pieces', async () => {
    const value = 'q'.repeat(65_530) + '\\\\'.repeat(10);
    const records = await decodeAll(`[{"v":"${value}"},{"v":"after"}]`, 'json');
    expect(records.map((r) => (r.ok ? r.values[0] : r.detail))).toEqual([
      'q'.repeat(65_530) + '\\'.repeat(10),
      'after',
    ]);
  });
});
