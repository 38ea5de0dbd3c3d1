import { describe, expect, it } from 'vitest';
import { durationCases, row } from './rows.js';
import { CopyBinaryWriter, readTuples } from '../src/copy-binary.js';
import { WarehouseError } from '../src/errors.js';

/** The fields of one tuple, as their bytes (null for NULL). */
function fieldsOf(bytes: Buffer): (Buffer | null)[] {
  const count = bytes.readInt16BE(0);
  const fields: (Buffer | null)[] = [];
  let at = 2;
  for (let i = 0; i < count; i++) {
    const length = bytes.readInt32BE(at);
    at += 4;
    fields.push(length < 0 ? null : bytes.subarray(at, at + length));
    at += Math.max(length, 0);
  }
  expect(at).toBe(bytes.length);
  return fields;
}

/** A binary numeric read back as decimal text, as PostgreSQL would print it with its scale. */
function numericText(field: Buffer): string {
  const count = field.readInt16BE(0);
  const weight = field.readInt16BE(2);
  const sign = field.readUInt16BE(4);
  const scale = field.readInt16BE(6);
  let value = 0n;
  let exponent = weight;
  for (let i = 0; i < count; i++, exponent--) {
    const digit = field.readInt16BE(8 + i * 2);
    expect(digit).toBeGreaterThanOrEqual(0);
    expect(digit).toBeLessThan(10_000);
    value += BigInt(digit) * 10_000n ** BigInt(exponent + 2); // in units of 10^-8
  }
  const units = value / 1_000_000n; // hundredths
  const text = `${units / 100n}.${String(units % 100n).padStart(2, '0')}`;
  expect(scale).toBe(2);
  return sign === 0x4000 ? `-${text}` : text;
}

const EPOCH_2000_MS = 946_684_800_000n;

describe('CopyBinaryWriter', () => {
  it('writes instants as microseconds since 2000, exactly, from year 1 to 9999', () => {
    const instants = [-62_135_596_800_000, -1, 0, 946_684_799_999, 946_684_800_000, 253_402_300_799_999];
    let seed = 11;
    for (let i = 0; i < 3000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      instants.push(Math.floor((seed / 2 ** 31) * 315_537_897_599_999) - 62_135_596_800_000);
    }
    const writer = new CopyBinaryWriter(8);
    for (const instant of instants) {
      writer.tuple(row({ start_time: instant, end_time: instant }));
      const [, , , , , , , start, end] = fieldsOf(writer.take());
      const expected = (BigInt(instant) - EPOCH_2000_MS) * 1000n;
      expect([start?.readBigInt64BE(0), end?.readBigInt64BE(0)], String(instant)).toEqual([
        expected,
        expected,
      ]);
    }
  });

  it('writes durations as numeric digits that read back as their two-decimal text', () => {
    const durations = durationCases();
    const writer = new CopyBinaryWriter();
    for (const duration of durations) {
      writer.tuple(row({ duration_min: duration }));
      const field = fieldsOf(writer.take())[9] as Buffer;
      expect(numericText(field), String(duration)).toBe(duration.toFixed(2));
    }
  });

  it('writes text as its UTF-8 bytes, unescaped, and dates as days since 2000', () => {
    const writer = new CopyBinaryWriter(4);
    const title = 'tab\t new\n back\\ Ficção 映画 🎬 \ud800';
    writer.tuple(row({ title, event_date: '1999-12-31' }));
    const first = writer.take();
    writer.tuple(row({ title: 'x'.repeat(10_000), event_date: '0001-01-01' }));
    const bytes = Buffer.concat([first, writer.take()]);
    const fields = fieldsOf(first);
    expect(fields[3]?.toString('utf8')).toBe(Buffer.from(title, 'utf8').toString('utf8'));
    expect(fields[10]?.readInt32BE(0)).toBe(-1);
    expect([...readTuples(bytes)].map(({ key, day }) => [key, day])).toEqual([
      ['S1', '1999-12-31'],
      ['S1', '0001-01-01'],
    ]);
  });

  it('refuses what PostgreSQL cannot store, naming session and column, and leaves nothing of the row', () => {
    const writer = new CopyBinaryWriter();
    writer.tuple(row({ session_id: 'S0' }));
    const before = writer.length;
    const refusals: [Partial<Parameters<typeof row>[0]>, RegExp][] = [
      [{ title: 'a\0b' }, /"S9".*title.*NUL/],
      [{ end_time: 1.5 }, /"S9".*end_time/],
      [{ start_time: 253_402_300_800_000 }, /"S9".*years 1 and 9999/],
      [{ duration_min: Number.NaN }, /"S9".*duration_min/],
      [{ event_date: '2025-02-30' }, /"S9".*event_date is "2025-02-30"/],
      [{ event_date: '2025-3-1' }, /"S9".*event_date/],
    ];
    for (const [values, message] of refusals) {
      expect(() => writer.tuple(row({ session_id: 'S9', ...values }))).toThrowError(message);
      expect(() => writer.tuple(row({ session_id: 'S9', ...values }))).toThrow(WarehouseError);
      expect(writer.length).toBe(before);
    }
    writer.tuple(row({ session_id: 'S1' }));
    expect([...readTuples(writer.take())].map(({ key }) => key)).toEqual(['S0', 'S1']);
  });
});
