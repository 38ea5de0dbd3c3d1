import { describe, expect, it } from 'vitest';
import { timeZone } from '../src/time-zone.js';
import { parseTimestamp, TIMESTAMP_FORMS } from '../src/timestamps.js';

const utc = { sourceZone: timeZone('UTC') };
const newYork = { sourceZone: timeZone('America/New_York') };
const berlin = { sourceZone: timeZone('Europe/Berlin') };
const iso = (value: unknown, context = utc): string | undefined => {
  const millis = parseTimestamp(value, context);
  return millis === undefined ? undefined : new Date(millis).toISOString();
};

describe('parseTimestamp: epoch numbers', () => {
  it('reads 9 to 11 integer digits as seconds', () => {
    expect(iso('1741600000')).toBe('2025-03-10T09:46:40.000Z');
    expect(iso('0999999999')).toBe('2001-09-09T01:46:39.000Z');
  });

  it('reads 12 to 14 integer digits as milliseconds', () => {
    expect(iso('1741600000123')).toBe('2025-03-10T09:46:40.123Z');
  });

  it('reads a seconds fraction as decimal digits and cuts after milliseconds', () => {
    expect(iso('1741600000.9999999')).toBe('2025-03-10T09:46:40.999Z');
    expect(iso('1741600000.5')).toBe('2025-03-10T09:46:40.500Z');
    expect(iso('1741600060.25')).toBe('2025-03-10T09:47:40.250Z');
  });

  it('cuts the fraction of epoch milliseconds', () => {
    expect(iso('1741600000123.9')).toBe('2025-03-10T09:46:40.123Z');
  });

  it('takes a JSON number as its shortest decimal text', () => {
    expect(iso(1741600060.25)).toBe('2025-03-10T09:47:40.250Z');
    expect(iso(1741600000)).toBe('2025-03-10T09:46:40.000Z');
  });

  it('refuses other digit counts, a dangling point, signs and exponents', () => {
    for (const value of [
      '12345678',
      '123456789012345',
      '1741600000.',
      '-1741600000',
      '+1741600000',
      1e21,
      '1.7416e9',
    ]) {
      expect(iso(value), String(value)).toBeUndefined();
    }
  });
});

describe('parseTimestamp: ISO 8601 / RFC 3339', () => {
  it('accepts T or one space, with or without seconds and fraction', () => {
    expect(iso('2025-03-10T10:00')).toBe('2025-03-10T10:00:00.000Z');
    expect(iso('2025-03-10 10:00:05')).toBe('2025-03-10T10:00:05.000Z');
    expect(iso('2025-03-10T10:00:05.5')).toBe('2025-03-10T10:00:05.500Z');
  });

  it('cuts fractions after milliseconds instead of rounding', () => {
    expect(iso('2025-03-11T10:00:00.9999Z')).toBe('2025-03-11T10:00:00.999Z');
  });

  it('accepts Z, z, ±HH:mm, ±HHmm and ±HH offsets', () => {
    expect(iso('2025-03-10T10:00:00z')).toBe('2025-03-10T10:00:00.000Z');
    expect(iso('2025-03-10T10:00:00+05:30')).toBe('2025-03-10T04:30:00.000Z');
    expect(iso('2025-03-10T10:00:00-0530')).toBe('2025-03-10T15:30:00.000Z');
    expect(iso('2025-03-10T10:00:00+14')).toBe('2025-03-09T20:00:00.000Z');
    expect(iso('2025-03-10T10:00:00-03')).toBe('2025-03-10T13:00:00.000Z');
  });

  it('ignores the source zone when an offset is given', () => {
    expect(iso('2025-03-10T10:00:00Z', newYork)).toBe('2025-03-10T10:00:00.000Z');
  });

  it('refuses lower-case t, comma fractions, a space before the zone and bad offsets', () => {
    for (const value of [
      '2025-03-10t10:00:00Z',
      '2025-03-10T10:00:00,5Z',
      '2025-03-10T10:00:00 +05:30',
      '2025-03-10T10:00:00+05:60',
      '2025-03-10T10:00:00+24:00',
      '2025-03-10T10:00:00+5',
      '2025-03-10T10:00.5',
      '2025-03-10  10:00',
    ]) {
      expect(iso(value), value).toBeUndefined();
    }
  });

  it('refuses a date alone, 24:00 and out-of-range clock fields', () => {
    for (const value of [
      '2025-03-10',
      '2025-03-11T24:00:00Z',
      '2025-03-11T23:60:00Z',
      '2025-03-11T23:59:60Z',
    ]) {
      expect(iso(value), value).toBeUndefined();
    }
  });
});

describe('parseTimestamp: slashed and day-first local forms', () => {
  it('reads YYYY/MM/DD HH:mm[:ss]', () => {
    expect(iso('2025/03/14 04:11:32')).toBe('2025-03-14T04:11:32.000Z');
    expect(iso('2025/03/14 04:11')).toBe('2025-03-14T04:11:00.000Z');
  });

  it('reads DD/MM/YYYY and DD-MM-YYYY day first', () => {
    expect(iso('11/03/2025 09:57:00')).toBe('2025-03-11T09:57:00.000Z');
    expect(iso('14-03-2025 02:55')).toBe('2025-03-14T02:55:00.000Z');
  });

  it('refuses single digits, mixed separators, zones and fractions on these forms', () => {
    for (const value of [
      '4/3/2025 9:05',
      '14/03-2025 02:55',
      '2025/03/14 04:11:32Z',
      '14-03-2025 02:55:00.5',
      '2025/03/14T04:11',
    ]) {
      expect(iso(value), value).toBeUndefined();
    }
  });
});

describe('parseTimestamp: calendar and range', () => {
  it('accepts 29 February in a leap year only', () => {
    expect(iso('2024-02-29 23:50:00')).toBe('2024-02-29T23:50:00.000Z');
    expect(iso('2025-02-29 23:50:00')).toBeUndefined();
    expect(iso('2000-02-29T00:00:00Z')).toBe('2000-02-29T00:00:00.000Z');
    expect(iso('2100-02-29T00:00:00Z')).toBeUndefined();
  });

  it('refuses impossible dates', () => {
    expect(iso('2025-04-31T10:00:00Z')).toBeUndefined();
    expect(iso('2025-02-30T10:00:00Z')).toBeUndefined();
    expect(iso('31/13/2025 10:00')).toBeUndefined();
  });

  it('keeps instants in [2000-01-01, 2100-01-01) only', () => {
    expect(iso('1999-12-31T23:59:59Z')).toBeUndefined();
    expect(iso('2000-01-01T00:00:00Z')).toBe('2000-01-01T00:00:00.000Z');
    expect(iso('2099-12-31T23:59:59.999Z')).toBe('2099-12-31T23:59:59.999Z');
    expect(iso('2100-01-01T00:00:00Z')).toBeUndefined();
    expect(iso('2000-01-01T05:00:00+05:30')).toBeUndefined();
  });

  it('treats missing values and non-text JSON as invalid', () => {
    for (const value of [undefined, null, '', '   ', 'yesterday', true, {}, [1741600000]]) {
      expect(iso(value), String(value)).toBeUndefined();
    }
  });
});

describe('parseTimestamp: local times in the source zone', () => {
  it('moves a time in a spring-forward gap forward by the gap', () => {
    expect(iso('2025-03-09 02:30:00', newYork)).toBe('2025-03-09T07:30:00.000Z');
    expect(iso('2025-03-30 02:30', berlin)).toBe('2025-03-30T01:30:00.000Z');
  });

  it('takes the earlier instant of a time that occurs twice', () => {
    expect(iso('2025-11-02 01:30:00', newYork)).toBe('2025-11-02T05:30:00.000Z');
    expect(iso('2025-10-26 02:30', berlin)).toBe('2025-10-26T00:30:00.000Z');
  });

  it('uses the offset in force on either side of a change', () => {
    expect(iso('2025-03-09 01:59:59', newYork)).toBe('2025-03-09T06:59:59.000Z');
    expect(iso('2025-03-09 03:00:00', newYork)).toBe('2025-03-09T07:00:00.000Z');
    expect(iso('2025-11-02 02:00:00', newYork)).toBe('2025-11-02T07:00:00.000Z');
  });

  it('reads day-first and slashed forms in the source zone too', () => {
    expect(iso('09/03/2025 02:30', newYork)).toBe('2025-03-09T07:30:00.000Z');
    expect(iso('2025/07/01 12:00', newYork)).toBe('2025-07-01T16:00:00.000Z');
  });
});

describe('parseTimestamp: the ISO reader agrees with TIMESTAMP_FORMS.iso', () => {
  it('accepts exactly the texts the published pattern matches', () => {
    const pieces = {
      date: ['2025-03-10', '2025-3-10', '2025-03-1x', '2025-03/10', '20250-03-10'],
      separator: ['T', ' ', 't', '  ', '_'],
      clock: [
        '10:00',
        '10:00:05',
        '10:00:05.5',
        '10:00:05.123456',
        '10:00.5',
        '10:00:5',
        '10:0',
        '10:00:05.',
      ],
      zone: ['', 'Z', 'z', '+05:30', '-0530', '+14', '+5', '+05:3', ' +05:30', '+05:30Z', 'ZZ', '+0530x'],
    };
    let checked = 0;
    for (const date of pieces.date)
      for (const separator of pieces.separator)
        for (const clock of pieces.clock)
          for (const zone of pieces.zone) {
            const text = `${date}${separator}${clock}${zone}`;
            const matches = TIMESTAMP_FORMS.iso.test(text);
            expect(parseTimestamp(text, utc) !== undefined, text).toBe(matches);
            checked += 1;
          }
    expect(checked).toBe(2400);
  });
});
