import { PROCESSED_COLUMNS, type ProcessedRow } from '@streampulse/schema';
import { describe, expect, it } from 'vitest';
import { durationCases, row } from './rows.js';
import { COPY_COLUMNS, escapeCopyText } from '../src/copy-text.js';
import { CopyTextWriter, copyLine } from '../src/copy-writer.js';
import { csvField } from '../src/dump.js';
import { WarehouseError } from '../src/errors.js';

describe('COPY text encoding', () => {
  it('writes each value under its column of COPY_COLUMNS, the table order, then seq', () => {
    const sample = row({ title: 'T', genre: 'G', region: 'R', device_type: 'console' });
    const fields = copyLine(sample, 3).trimEnd().split('\t');
    expect(fields).toHaveLength(COPY_COLUMNS.length + 1);
    expect([...COPY_COLUMNS]).toEqual(PROCESSED_COLUMNS.map((c) => c.name));
    for (const name of [
      'session_id',
      'user_id',
      'content_id',
      'title',
      'genre',
      'region',
      'device_type',
      'event_date',
    ] as const) {
      expect(fields[COPY_COLUMNS.indexOf(name)], name).toBe(sample[name]);
    }
    expect(fields.at(-1)).toBe('3');
  });

  it('escapes backslash, tab, newline and carriage return and nothing else', () => {
    expect(escapeCopyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(escapeCopyText('\\N')).toBe('\\\\N');
    expect(escapeCopyText('"quoted", commas; ünïcødé 🎬')).toBe('"quoted", commas; ünïcødé 🎬');
  });

  it('writes instants as ISO UTC with milliseconds, durations with two decimals and seq last', () => {
    const line = copyLine(
      row({
        start_time: Date.UTC(2025, 2, 10, 9, 46, 40),
        end_time: Date.UTC(2025, 2, 10, 10, 32, 10, 599),
        duration_min: 45.51,
      }),
      7,
    );
    expect(line).toBe(
      'S1\tU1\tC1\tTitle\tDrama\tNorth\ttv\t2025-03-10T09:46:40.000Z\t2025-03-10T10:32:10.599Z\t45.51\t2025-03-10\t7\n',
    );
    expect(copyLine(row({ duration_min: 0 }), 0)).toContain('\t0.00\t');
    expect(copyLine(row({ duration_min: 1.1 }), 0)).toContain('\t1.10\t');
  });

  it('writes every two-decimal duration exactly as toFixed(2) does, and any other value too', () => {
    const durations = durationCases();
    for (const duration of durations) {
      const fields = copyLine(row({ duration_min: duration }), 0).split('\t');
      expect(fields[9], String(duration)).toBe(duration.toFixed(2));
    }
  });

  it('refuses a NUL character, which PostgreSQL text cannot hold, naming session and column', () => {
    expect(() => copyLine(row({ session_id: 'S9', title: 'a\0b' }), 0)).toThrowError(
      expect.objectContaining({
        code: 'unstorable_value',
        message: expect.stringMatching(/"S9".*title/),
      }) as Error,
    );
    expect(() => copyLine(row({ title: 'a\0b' }), 0)).toThrow(WarehouseError);
  });

  it('writes instants exactly as Date#toISOString does, before 1970 and across the whole range', () => {
    const instants = [-62_135_596_800_000, -86_400_001, -1, 0, 1, 999, 86_399_999, 253_402_300_799_999];
    let seed = 42;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      instants.push(Math.floor((seed / 2 ** 31) * 4_102_444_800_000) - 1_000_000_000_000);
    }
    for (const instant of instants) {
      const fields = copyLine(row({ start_time: instant, end_time: instant }), 0).split('\t');
      expect([fields[7], fields[8]]).toEqual([
        new Date(instant).toISOString(),
        new Date(instant).toISOString(),
      ]);
    }
  });

  it('refuses an instant that is not whole epoch milliseconds within years 1 to 9999', () => {
    expect(() => copyLine(row({ end_time: Number.NaN }), 0)).toThrow(/end_time/);
    expect(() => copyLine(row({ start_time: 1.5 }), 0)).toThrow(/start_time/);
    expect(() => copyLine(row({ start_time: 253_402_300_800_000 }), 0)).toThrow(/years 1 and 9999/);
  });

  it('refuses a duration that is not a number', () => {
    expect(() => copyLine(row({ duration_min: Number.POSITIVE_INFINITY }), 0)).toThrow(/duration_min/);
  });
});

/** A value back from its COPY text (the four escapes the format defines). */
function unescapeCopyText(text: string): string {
  return text.replace(/\\(.)/gs, (_, code: string) =>
    code === 't' ? '\t' : code === 'n' ? '\n' : code === 'r' ? '\r' : code,
  );
}

describe('CopyTextWriter', () => {
  const awkward = row({
    session_id: 'S\\N',
    user_id: 'U\tüser',
    content_id: 'C\u0001',
    title: `${'🎬'.repeat(300)}\n\\${'é'.repeat(200)}\r`,
    genre: 'Ficção\ud800',
    region: 'Nörth\t',
    device_type: 'tv',
    event_date: '2025-03-10',
  });

  /** The line spelled out with the string tools, independently of the writer. */
  function referenceLine(each: ProcessedRow, seq: number): string {
    const text = [
      each.session_id,
      each.user_id,
      each.content_id,
      each.title,
      each.genre,
      each.region,
      each.device_type,
    ].map(escapeCopyText);
    const times = [each.start_time, each.end_time].map((ms) => new Date(ms).toISOString());
    return [...text, ...times, each.duration_min.toFixed(2), each.event_date, String(seq)].join('\t') + '\n';
  }

  it('writes rows as their UTF-8 COPY lines, growing past its first buffer mid-row', () => {
    const writer = new CopyTextWriter(16);
    // Three bytes a character and an escape: the buffer is grown to just what the title takes, so
    // the columns after it must have been planned for.
    const wide = row({ session_id: 'S3', title: `\n${'映'.repeat(600)}` });
    const rows = [
      row(),
      wide,
      awkward,
      row({ session_id: 'S2', title: 'x'.repeat(5000), duration_min: 1 / 3 }),
      awkward,
    ];
    rows.forEach((each, seq) => {
      writer.fields(each);
      writer.tab();
      writer.integer(seq);
      writer.newline();
    });
    const expected = rows.map((each, seq) => referenceLine(each, seq)).join('');
    expect(writer.take()).toEqual(Buffer.from(expected, 'utf8'));
    expect(writer.length).toBe(0);
    expect(copyLine(awkward, 3)).toBe(Buffer.from(referenceLine(awkward, 3), 'utf8').toString('utf8'));
  });

  it('escapes values that need it and keeps every other character, multi-byte ones included', () => {
    const fields = copyLine(awkward, 0).slice(0, -1).split('\t').map(unescapeCopyText);
    expect(fields.slice(0, 7)).toEqual([
      awkward.session_id,
      awkward.user_id,
      awkward.content_id,
      awkward.title,
      // A lone surrogate has no UTF-8 form: it is written as U+FFFD, as Buffer.from writes it.
      'Ficção\ufffd',
      awkward.region,
      awkward.device_type,
    ]);
  });

  it('leaves nothing of a row it refuses, so the rows before and after it stay whole', () => {
    const writer = new CopyTextWriter();
    writer.fields(row({ session_id: 'S1' }));
    writer.newline();
    const before = writer.length;
    expect(() => writer.fields(row({ session_id: 'S2', genre: 'a\0b' }))).toThrow(/"S2".*genre/);
    expect(() => writer.fields(row({ session_id: 'S3', end_time: 0.5 }))).toThrow(/"S3".*end_time/);
    expect(writer.length).toBe(before);
    writer.fields(row({ session_id: 'S4' }));
    writer.newline();
    expect(writer.takeText()).toBe(
      copyLine(row({ session_id: 'S1' }), 0).replace(/\t0\n$/, '\n') +
        copyLine(row({ session_id: 'S4' }), 0).replace(/\t0\n$/, '\n'),
    );
  });

  it('writes integers in decimal, from 0 to the largest safe integer', () => {
    const writer = new CopyTextWriter(4);
    for (const value of [0, 7, 10, 99, 100, 123_456_789, Number.MAX_SAFE_INTEGER]) {
      writer.integer(value);
      expect(writer.takeText()).toBe(String(value));
    }
  });
});

describe('CSV fields', () => {
  it('quotes only values holding a comma, quote, CR or LF', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('tab\tand \\ backslash')).toBe('tab\tand \\ backslash');
  });
});
