import { describe, expect, it } from 'vitest';
import {
  isMissingText,
  normalizeDeviceType,
  normalizeGenre,
  normalizeIdentifier,
  normalizeRegion,
  normalizeTitle,
} from '../src/values.js';

describe('missing values', () => {
  it('treats empty text and the missing tokens as missing, case-insensitively, after trimming', () => {
    for (const text of ['', '  ', 'null', 'NULL', ' None ', 'nan', 'NaN', 'n/a', ' N/A ', 'na', 'NA', '-']) {
      expect(isMissingText(text), JSON.stringify(text)).toBe(true);
    }
  });

  it('keeps look-alikes that are not tokens', () => {
    for (const text of ['--', 'nil', 'n.a.', '0', 'nullx', 'NAN!']) {
      expect(isMissingText(text), JSON.stringify(text)).toBe(false);
    }
  });
});

describe('normalizeIdentifier', () => {
  it('trims text and keeps its case', () => {
    expect(normalizeIdentifier('  u-8 ')).toBe('u-8');
    expect(normalizeIdentifier('Ab')).toBe('Ab');
  });

  it('writes a JSON integer as its decimal text', () => {
    expect(normalizeIdentifier(42)).toBe('42');
    expect(normalizeIdentifier(10.0)).toBe('10');
    expect(normalizeIdentifier(-7)).toBe('-7');
  });

  it('treats fractions, booleans, objects, arrays, null and missing tokens as missing', () => {
    for (const value of [9.5, true, false, {}, [7], null, undefined, ' N/A ', 'none']) {
      expect(normalizeIdentifier(value), JSON.stringify(value)).toBeUndefined();
    }
  });
});

describe('normalizeTitle', () => {
  it('trims and collapses white space, line ends included, keeping case', () => {
    expect(normalizeTitle('  The "Big", C0007\nStory  ')).toBe('The "Big", C0007 Story');
    expect(normalizeTitle('a\t\tB')).toBe('a B');
  });

  it('is Unknown when missing', () => {
    expect(normalizeTitle(null)).toBe('Unknown');
    expect(normalizeTitle(' n/a ')).toBe('Unknown');
  });
});

describe('normalizeRegion', () => {
  it('capitalizes every run of letters and lower-cases the rest', () => {
    expect(normalizeRegion('  north  EAST')).toBe('North East');
    expect(normalizeRegion('north-east')).toBe('North-East');
    expect(normalizeRegion('central-india')).toBe('Central-India');
    expect(normalizeRegion('NORTH ')).toBe('North');
  });

  it('handles Unicode letters', () => {
    expect(normalizeRegion('münchen')).toBe('München');
    expect(normalizeRegion('  sÃo   PAULO ')).toBe('São Paulo');
    expect(normalizeRegion('ÉCOSSE')).toBe('Écosse');
  });

  it('is Unknown when missing or empty', () => {
    expect(normalizeRegion('N/A')).toBe('Unknown');
    expect(normalizeRegion(undefined)).toBe('Unknown');
  });
});

describe('normalizeGenre', () => {
  it('takes the first item of a list split on | , ; or /', () => {
    expect(normalizeGenre('THRILLER|Crime')).toBe('Thriller');
    expect(normalizeGenre('Action, Adventure')).toBe('Action');
    expect(normalizeGenre('sci-fi/fantasy')).toBe('Sci-Fi');
    expect(normalizeGenre('drama;comedy')).toBe('Drama');
    expect(normalizeGenre('  kids ')).toBe('Kids');
  });

  it('is Unknown when the first item is missing', () => {
    expect(normalizeGenre('|Drama')).toBe('Unknown');
    expect(normalizeGenre('none|Comedy')).toBe('Unknown');
    expect(normalizeGenre(null)).toBe('Unknown');
  });
});

describe('normalizeDeviceType', () => {
  const table: Record<string, string[]> = {
    tv: [
      'tv',
      'Smart TV',
      'smart_tv',
      'Android TV',
      'Fire TV',
      'FireStick',
      'Roku',
      'Apple TV',
      'Chromecast',
      'CTV',
    ],
    mobile: ['mobile', 'Phone', 'smartphone', 'Android', 'iPhone', 'iOS'],
    tablet: ['tablet', 'iPad'],
    web: ['Web', 'Browser', 'Desktop', 'PC', 'Mac', 'Laptop'],
    console: ['console', 'PlayStation', 'PS4', 'PS5', 'Xbox'],
    other: ['toaster', 'duplicate-device', 'tv2'],
    unknown: ['', 'null', '--', '?', 'ⓣⓥ'],
  };
  for (const [type, names] of Object.entries(table)) {
    it(`maps ${names.join(', ')} to ${type}`, () => {
      for (const name of names) expect(normalizeDeviceType(name), name).toBe(type);
    });
  }

  it('answers the same for a spelling seen before, and past the spellings it remembers', () => {
    for (let round = 0; round < 2; round++) {
      expect(normalizeDeviceType(' Smart-TV ')).toBe('tv');
      expect(normalizeDeviceType('N/A')).toBe('unknown');
    }
    for (let i = 0; i < 5000; i++) expect(normalizeDeviceType(`gadget ${i}`)).toBe('other');
    expect(normalizeDeviceType('Fire TV')).toBe('tv');
    expect(normalizeDeviceType('iPad ')).toBe('tablet');
  });

  it('is unknown when absent', () => {
    expect(normalizeDeviceType(undefined)).toBe('unknown');
    expect(normalizeDeviceType(null)).toBe('unknown');
  });
});
