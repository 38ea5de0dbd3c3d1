import type { Random } from './random.js';

// Words the contract's folded aliases (FIELD_ALIASES, DEVICE_ALIASES) are made of. Folded names
// lost their word breaks; splitting them back lets dirty files write `Playback ID` or `Fire-TV`.
const WORDS = [
  'session',
  'playback',
  'user',
  'customer',
  'viewer',
  'content',
  'video',
  'title',
  'asset',
  'device',
  'type',
  'platform',
  'start',
  'started',
  'time',
  'at',
  'ts',
  'end',
  'ended',
  'id',
  'name',
  'genre',
  'genres',
  'category',
  'region',
  'geo',
  'location',
  'smart',
  'tv',
  'android',
  'fire',
  'stick',
  'roku',
  'apple',
  'chromecast',
  'ctv',
  'mobile',
  'phone',
  'iphone',
  'ios',
  'tablet',
  'ipad',
  'web',
  'browser',
  'desktop',
  'pc',
  'mac',
  'laptop',
  'console',
  'play',
  'station',
  'ps4',
  'ps5',
  'xbox',
  'bitrate',
  'kbps',
  'app',
  'version',
  'cdn',
  'plan',
  'signup',
  'date',
  'release',
  'year',
  'runtime',
  'min',
  'language',
] as const;
const wordSet: ReadonlySet<string> = new Set(WORDS);

/** How some words are written when a name is shown to people. */
const DISPLAY: Readonly<Record<string, string>> = {
  id: 'ID',
  tv: 'TV',
  ts: 'TS',
  pc: 'PC',
  ctv: 'CTV',
  cdn: 'CDN',
  ios: 'iOS',
  iphone: 'iPhone',
  ipad: 'iPad',
  ps4: 'PS4',
  ps5: 'PS5',
};

/**
 * Splits a folded name (lower-case letters and digits only) into the fewest known words; a
 * name that cannot be split comes back as one word.
 *
 * @example
 * splitFolded('playbackid'); // ['playback', 'id']
 * splitFolded('startedat');  // ['started', 'at']
 */
export function splitFolded(folded: string): string[] {
  const n = folded.length;
  // best[i]: fewest words covering folded.slice(0, i), with the start of the last word.
  const best: ({ count: number; from: number } | undefined)[] = [{ count: 0, from: 0 }];
  for (let end = 1; end <= n; end += 1) {
    for (let from = 0; from < end; from += 1) {
      const before = best[from];
      if (!before || !wordSet.has(folded.slice(from, end))) continue;
      const current = best[end];
      if (!current || before.count + 1 < current.count) best[end] = { count: before.count + 1, from };
    }
  }
  if (!best[n]) return [folded];
  const words: string[] = [];
  for (let end = n; end > 0;) {
    const from = (best[end] as { from: number }).from;
    words.unshift(folded.slice(from, end));
    end = from;
  }
  return words;
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
const display = (word: string): string => DISPLAY[word] ?? capitalize(word);

/** Ways a column header is written by different producers; all fold to the same name. */
export const HEADER_STYLES = {
  snake: (w: readonly string[]) => w.join('_'),
  camel: (w: readonly string[]) => w.map((x, i) => (i === 0 ? x : capitalize(x))).join(''),
  pascal: (w: readonly string[]) => w.map(capitalize).join(''),
  title: (w: readonly string[]) => w.map(display).join(' '),
  upper: (w: readonly string[]) => w.join('_').toUpperCase(),
  kebab: (w: readonly string[]) => w.join('-'),
  dotted: (w: readonly string[]) => w.join('.'),
} as const;

/** A header style's name. */
export type HeaderStyle = keyof typeof HEADER_STYLES;

/**
 * Writes a folded name in a header style.
 *
 * @example
 * styleName('playbackid', 'title'); // 'Playback ID'
 * styleName('viewerid', 'camel');   // 'viewerId'
 */
export function styleName(folded: string, style: HeaderStyle): string {
  return HEADER_STYLES[style](splitFolded(folded));
}

const DEVICE_STYLES: readonly ((w: readonly string[]) => string)[] = [
  (w) => w.map(display).join(' '),
  (w) => w.map(display).join(''),
  (w) => w.join('').toUpperCase(),
  (w) => w.join('-'),
  (w) => ` ${w.map(display).join('_')} `,
];

/**
 * A device name as apps report it: a folded alias in a random casing and spacing that still
 * folds back to the same alias.
 *
 * @example
 * styleDevice('firetv', random); // e.g. 'Fire TV', 'FIRETV', 'fire-tv'
 */
export function styleDevice(folded: string, random: Random): string {
  return random.pick(DEVICE_STYLES)(splitFolded(folded));
}
