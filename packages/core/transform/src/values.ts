import { UNKNOWN, type DeviceType } from '@streampulse/schema';

/** Texts that mean "no value", compared case-insensitively after trimming. */
export const MISSING_TOKENS: readonly string[] = ['', 'null', 'none', 'nan', 'n/a', 'na', '-'];

/** Separators between the items of a genre list; the first item is the genre. */
export const GENRE_SEPARATORS: readonly string[] = ['|', ',', ';', '/'];

/**
 * Folded device names per device type (after lower-casing and keeping only a-z and 0-9).
 * A name not listed is `other`; a missing one, or nothing left after folding, is `unknown`.
 */
export const DEVICE_ALIASES: Readonly<Record<Exclude<DeviceType, 'unknown' | 'other'>, readonly string[]>> = {
  tv: ['tv', 'smarttv', 'androidtv', 'firetv', 'firestick', 'roku', 'appletv', 'chromecast', 'ctv'],
  mobile: ['mobile', 'phone', 'smartphone', 'android', 'iphone', 'ios'],
  tablet: ['tablet', 'ipad'],
  web: ['web', 'browser', 'desktop', 'pc', 'mac', 'laptop'],
  console: ['console', 'playstation', 'ps4', 'ps5', 'xbox'],
};

const missingTokens = new Set(MISSING_TOKENS);
const deviceByFolded: ReadonlyMap<string, DeviceType> = new Map(
  (Object.keys(DEVICE_ALIASES) as (keyof typeof DEVICE_ALIASES)[]).flatMap((type) =>
    DEVICE_ALIASES[type].map((alias) => [alias, type] as const),
  ),
);
const WHITE_SPACE_RUN = /\s+/g;
const LETTER_RUN = /\p{L}+/gu;
const NOT_DEVICE_CHAR = /[^a-z0-9]/g;
const GENRE_SPLIT = new RegExp(`[${GENRE_SEPARATORS.map((s) => `\\${s}`).join('')}]`);

/**
 * True when a value is missing: absent, JSON null, or a text that after trimming is empty or
 * one of {@link MISSING_TOKENS}.
 *
 * @example
 * isMissingText(' N/A '); // true
 */
export function isMissingText(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length <= 4 && missingTokens.has(trimmed.toLowerCase());
}

/**
 * An identifier (`session_id`, `user_id`, `content_id`) as the contract keeps it: trimmed text
 * with its case, a JSON integer as its decimal text; undefined when missing or any other JSON value.
 *
 * @example
 * normalizeIdentifier(' U001 '); // 'U001'
 * normalizeIdentifier(42);       // '42'
 * normalizeIdentifier(9.5);      // undefined
 */
export function normalizeIdentifier(value: unknown): string | undefined {
  if (typeof value === 'string') return isMissingText(value) ? undefined : value.trim();
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
  return undefined;
}

/** Text of a descriptive value (title, genre, region, device), or undefined when missing. */
function descriptiveText(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else return undefined;
  return isMissingText(text) ? undefined : text;
}

/**
 * A title: trimmed, runs of white space collapsed to one space, case kept; `Unknown` when missing.
 *
 * @example
 * normalizeTitle('  The "Big",\nStory  '); // 'The "Big", Story'
 */
export function normalizeTitle(value: unknown): string {
  const text = descriptiveText(value);
  if (text === undefined) return UNKNOWN;
  return text.trim().replace(WHITE_SPACE_RUN, ' ') || UNKNOWN;
}

function capitalizeWord(word: string): string {
  const first = word.codePointAt(0) ?? 0;
  const firstLength = first > 0xffff ? 2 : 1;
  return word.slice(0, firstLength).toUpperCase() + word.slice(firstLength).toLowerCase();
}

function titleCase(text: string): string {
  return text.trim().replace(WHITE_SPACE_RUN, ' ').replace(LETTER_RUN, capitalizeWord);
}

/**
 * A region: trimmed, white space collapsed, each word (a run of letters) capitalized;
 * `Unknown` when missing or empty.
 *
 * @example
 * normalizeRegion('  north  EAST'); // 'North East'
 * normalizeRegion('north-east');    // 'North-East'
 */
export function normalizeRegion(value: unknown): string {
  const text = descriptiveText(value);
  if (text === undefined) return UNKNOWN;
  return titleCase(text) || UNKNOWN;
}

/**
 * A genre: the first item of a list (split on `|`, `,`, `;`, `/`), cased as a region;
 * `Unknown` when that item is missing.
 *
 * @example
 * normalizeGenre('THRILLER|Crime'); // 'Thriller'
 * normalizeGenre('none|Comedy');    // 'Unknown'
 */
export function normalizeGenre(value: unknown): string {
  const text = descriptiveText(value);
  if (text === undefined) return UNKNOWN;
  const first = text.split(GENRE_SPLIT, 1)[0] ?? '';
  if (isMissingText(first)) return UNKNOWN;
  return titleCase(first) || UNKNOWN;
}

/**
 * A device type from the contract's table: lower-cased, reduced to a-z and 0-9, then looked up.
 *
 * @example
 * normalizeDeviceType('Smart TV'); // 'tv'
 * normalizeDeviceType('toaster');  // 'other'
 * normalizeDeviceType('--');       // 'unknown'
 */
export function normalizeDeviceType(value: unknown): DeviceType {
  if (typeof value === 'string') {
    // A lake spells its devices a handful of ways: each spelling is folded once.
    const known = deviceBySpelling.get(value);
    if (known !== undefined) return known;
    const type = deviceTypeOf(value);
    if (deviceBySpelling.size < MAX_DEVICE_SPELLINGS) deviceBySpelling.set(value, type);
    return type;
  }
  return deviceTypeOf(value);
}

const MAX_DEVICE_SPELLINGS = 4096;
const deviceBySpelling = new Map<string, DeviceType>();

function deviceTypeOf(value: unknown): DeviceType {
  const text = descriptiveText(value);
  if (text === undefined) return 'unknown';
  const folded = text.toLowerCase().replace(NOT_DEVICE_CHAR, '');
  if (folded === '') return 'unknown';
  return deviceByFolded.get(folded) ?? 'other';
}
