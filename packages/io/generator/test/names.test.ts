import { DEVICE_ALIASES, FIELD_ALIASES, foldFieldName, normalizeDeviceType } from '@streampulse/transform';
import { describe, expect, it } from 'vitest';
import { Random } from '../src/index.js';
import { HEADER_STYLES, splitFolded, styleDevice, styleName, type HeaderStyle } from '../src/names.js';

const STYLES = Object.keys(HEADER_STYLES) as HeaderStyle[];

describe('header names', () => {
  it('splits every field alias of the contract into known words', () => {
    for (const alias of Object.values(FIELD_ALIASES).flat()) {
      const words = splitFolded(alias);
      expect(words.join(''), alias).toBe(alias);
      // 'title' and 'name' are single words; every alias of two or more words is split.
      if (/id$|time$|at$|ts$|type$/.test(alias) && alias.length > 4)
        expect(words.length, alias).toBeGreaterThan(1);
    }
  });

  it('writes an alias in every style so that it folds back to the same alias', () => {
    for (const alias of Object.values(FIELD_ALIASES).flat()) {
      for (const style of STYLES)
        expect(foldFieldName(styleName(alias, style)), `${alias} ${style}`).toBe(alias);
    }
  });

  it('writes the names people expect', () => {
    expect(styleName('playbackid', 'title')).toBe('Playback ID');
    expect(styleName('viewerid', 'camel')).toBe('viewerId');
    expect(styleName('startts', 'upper')).toBe('START_TS');
    expect(styleName('sessionend', 'kebab')).toBe('session-end');
  });

  it('keeps a name it cannot split as one word', () => {
    expect(splitFolded('zzqx')).toEqual(['zzqx']);
  });
});

describe('device names', () => {
  it('styles every device alias so the contract still reads its device type', () => {
    const random = new Random(3);
    for (const [type, aliases] of Object.entries(DEVICE_ALIASES)) {
      for (const alias of aliases) {
        for (let i = 0; i < 5; i += 1)
          expect(normalizeDeviceType(styleDevice(alias, random)), alias).toBe(type);
      }
    }
  });
});
