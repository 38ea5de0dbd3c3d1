import { DEVICE_TYPES, UNKNOWN } from '@streampulse/schema';
import { DEVICE_ALIASES, GENRE_SEPARATORS, MISSING_TOKENS } from '@streampulse/transform';
import type { Dialect } from './dialect.js';
import { JS_WHITE_SPACE } from './patterns.js';

// The contract's value rules (section 3) as SQL expressions over a (value text, JSON kind) pair:
// `kind` is 's' for text (every CSV value), or a JSON kind (see JSON_KINDS). Every token, alias
// and separator comes from the reference's exported tables.

/**
 * A field's raw value as the plan carries it: the SQL expressions of its text and of its kind
 * (see JSON_KINDS; NULL kind = absent).
 *
 * @example
 * const raw: RawValue = { text: 'session_id_t', kind: 'session_id_k' };
 */
export interface RawValue {
  readonly text: string;
  readonly kind: string;
}

/**
 * White space as JavaScript's `trim()` removes it, both ends.
 *
 * @example
 * jsTrim(DUCKDB, 'c0'); // an expression: c0 without leading or trailing white space
 */
export function jsTrim(d: Dialect, value: string): string {
  return d.trimCodePoints(value, JS_WHITE_SPACE);
}

/**
 * Runs of white space (JavaScript's `\s+`) collapsed to one space.
 *
 * @example
 * collapseWhiteSpace(POSTGRES, 'title_t');
 */
export function collapseWhiteSpace(d: Dialect, value: string): string {
  return d.replaceAll(value, `[${d.codePointClass(JS_WHITE_SPACE)}]+`, ' ');
}

/**
 * True when a text is missing: empty or a missing token once trimmed, case-insensitively.
 *
 * @example
 * isMissingText(DUCKDB, "' N/A '"); // an expression that is true
 */
export function isMissingText(d: Dialect, value: string): string {
  return `(${d.lower(jsTrim(d, value))} IN (${MISSING_TOKENS.map((t) => d.text(t)).join(', ')}))`;
}

/**
 * The text of a descriptive value (string or finite number), NULL when missing.
 *
 * @example
 * presentText(DUCKDB, { text: 'genre_t', kind: 'genre_k' });
 */
export function presentText(d: Dialect, raw: RawValue): string {
  return `CASE WHEN ${raw.kind} IN ('s', 'i', 'n') AND NOT ${isMissingText(d, raw.text)} THEN ${raw.text} END`;
}

/**
 * An identifier: trimmed text of a string, digits of a JSON integer, else NULL (missing).
 *
 * @example
 * identifier(SPARK, { text: 'user_id_t', kind: 'user_id_k' });
 */
export function identifier(d: Dialect, raw: RawValue): string {
  return (
    `CASE WHEN ${raw.kind} = 's' AND NOT ${isMissingText(d, raw.text)} THEN ${jsTrim(d, raw.text)} ` +
    `WHEN ${raw.kind} = 'i' THEN ${raw.text} END`
  );
}

/** `Unknown` for NULL or empty text. */
function orUnknown(d: Dialect, value: string): string {
  return `coalesce(nullif(${value}, ''), ${d.text(UNKNOWN)})`;
}

/**
 * A title: trimmed, white space collapsed, case kept; `Unknown` when missing.
 *
 * @example
 * title(TRINO, { text: 'title_t', kind: 'title_k' });
 */
export function title(d: Dialect, raw: RawValue): string {
  return orUnknown(d, jsTrim(d, collapseWhiteSpace(d, presentText(d, raw))));
}

function titleCase(d: Dialect, value: string): string {
  return d.capitalizeLetterRuns(collapseWhiteSpace(d, jsTrim(d, value)));
}

/**
 * A region: trimmed, white space collapsed, each run of letters capitalized; `Unknown` when missing.
 *
 * @example
 * region(DUCKDB, { text: 'region_t', kind: 'region_k' }); // '  north  EAST' -> 'North East'
 */
export function region(d: Dialect, raw: RawValue): string {
  return orUnknown(d, titleCase(d, presentText(d, raw)));
}

/**
 * A genre: the first item of a list, cased as a region; `Unknown` when that item is missing.
 *
 * @example
 * genre(DUCKDB, { text: 'genre_t', kind: 'genre_k' }); // 'THRILLER|Crime' -> 'Thriller'
 */
export function genre(d: Dialect, raw: RawValue): string {
  const separators = d.codePointClass(GENRE_SEPARATORS.map((s) => s.codePointAt(0) as number));
  // (?s): the rest of the text goes, line ends included (every engine reads the flag).
  const first = d.replaceAll(presentText(d, raw), `(?s)[${separators}].*`, '');
  return orUnknown(d, `CASE WHEN NOT ${isMissingText(d, first)} THEN ${titleCase(d, first)} END`);
}

/**
 * A device type from the contract's table; `unknown` when missing or nothing is left after folding.
 *
 * @example
 * deviceType(DUCKDB, { text: 'device_type_t', kind: 'device_type_k' }); // 'Smart TV' -> 'tv'
 */
export function deviceType(d: Dialect, raw: RawValue): string {
  return deviceTypeOfFolded(d, foldedDeviceType(d, raw));
}

/**
 * A device type's text as its aliases are written (lower case, letters and digits only), NULL
 * when missing: a plan computes it once per row and reads it in every arm of
 * {@link deviceTypeOfFolded}.
 *
 * @example
 * foldedDeviceType(DUCKDB, { text: 'device_type_t', kind: 'device_type_k' });
 */
export function foldedDeviceType(d: Dialect, raw: RawValue): string {
  return d.replaceAll(d.lower(presentText(d, raw)), '[^a-z0-9]', '');
}

/**
 * The device type (section 3) of a value already folded by {@link foldedDeviceType}.
 *
 * @example
 * deviceTypeOfFolded(DUCKDB, 'device_folded');
 */
export function deviceTypeOfFolded(d: Dialect, folded: string): string {
  const types = Object.keys(DEVICE_ALIASES) as (keyof typeof DEVICE_ALIASES)[];
  const arms = types
    .map(
      (type) =>
        `WHEN ${folded} IN (${DEVICE_ALIASES[type].map((a) => d.text(a)).join(', ')}) THEN ${d.text(type)}`,
    )
    .join(' ');
  const unknown = DEVICE_TYPES.find((t) => t === 'unknown') as string;
  const other = DEVICE_TYPES.find((t) => t === 'other') as string;
  return `CASE WHEN coalesce(${folded}, '') = '' THEN ${d.text(unknown)} ${arms} ELSE ${d.text(other)} END`;
}
