/**
 * The engines a plan renders for.
 *
 * @example
 * const name: DialectName = 'trino';
 */
export type DialectName = 'duckdb' | 'postgres' | 'spark' | 'trino';

/**
 * What a JSON field's value is, as the contract distinguishes values (CSV values are all `s`).
 *
 * @example
 * `CASE WHEN user_id_k = '${JSON_KINDS.integer}' THEN user_id_t END`;
 */
export const JSON_KINDS = {
  /** A JSON string: its text. */
  string: 's',
  /** A JSON number with an integer value: its exact decimal digits (`BigInt(n)`). */
  integer: 'i',
  /** Any other finite JSON number: its shortest decimal text (`String(n)`). */
  number: 'n',
  /** A boolean, object, array or non-finite number: missing for every rule. */
  other: 'x',
} as const;

/**
 * Regex captures computed once per row: select items to add, and how to read group N.
 *
 * @example
 * const captures = DUCKDB.captures('txt', '^(\\d+)$', 1, 'm'); // captures.group(1) === 'm.g1'
 */
export interface Captures {
  /** Select-list items that compute the captures (aliased). */
  readonly items: readonly string[];
  /** Group `n` (1-based) as text; `''` or NULL when the group did not take part. */
  group(n: number): string;
}

/**
 * What a file that cannot be read does to a plan: stops the run (`fail`, a playback file, whose run
 * is its own) or gives no records (`empty`, a dimension file, none of whose rows are then used).
 *
 * @example
 * const unreadable: UnreadableFile = file.dataset === 'playback' ? 'fail' : 'empty';
 */
export type UnreadableFile = 'fail' | 'empty';

/**
 * The small rendering layer: everything that is spelled differently per engine. The plan is
 * written once against this interface; a dialect holds no contract rule (no alias, no token, no
 * format), only how to say a generic operation in its SQL.
 *
 * @example
 * DUCKDB.matches('x', '^[0-9]+$'); // "regexp_matches(x, '^[0-9]+$')"
 */
export interface Dialect {
  readonly name: DialectName;
  /** A string literal. */
  text(value: string): string;
  /** True when `pattern` (in the portable subset) matches somewhere in `subject`. */
  matches(subject: string, pattern: string): string;
  /** Every match of `pattern` replaced by the literal `replacement` (no group references). */
  replaceAll(subject: string, pattern: string, replacement: string): string;
  /**
   * The capture groups of `pattern` in `subject`, computed under the column name `alias`; only
   * where `guard` (a boolean expression) holds, when given.
   */
  captures(subject: string, pattern: string, groups: number, alias: string, guard?: string): Captures;
  /** A regular-expression character class body matching exactly these code points. */
  codePointClass(codePoints: readonly number[]): string;
  /** A class body matching one Unicode letter. */
  readonly letterClass: string;
  /** A class body matching one Unicode letter or digit. */
  readonly letterOrDigitClass: string;
  /** `subject` without any of `codePoints` at either end. */
  trimCodePoints(subject: string, codePoints: readonly number[]): string;
  lower(subject: string): string;
  upper(subject: string): string;
  /** Every run of letters written with its first letter upper-case and the rest lower-case. */
  capitalizeLetterRuns(subject: string): string;
  /** Integer division truncating toward zero (operands are non-negative where it matters). */
  div(a: string, b: string): string;
  mod(a: string, b: string): string;
  /** A digit string (at most 18 digits) as a 64-bit integer. */
  bigint(digits: string): string;
  /** An integer as its decimal text. */
  integerText(value: string): string;
  /** `value` padded on the left with zeros to two characters. */
  pad2(value: string): string;
  /** Offset of IANA zone `zone` from UTC, in milliseconds, at the instant `utcMillis`. */
  zoneOffsetMillis(zone: string, utcMillis: string): string;
  /** The DATE `days` days after 1970-01-01. */
  epochDayDate(days: string): string;
  /** A DATE as `YYYY-MM-DD` text. */
  dateText(date: string): string;
  /** A DATE literal. */
  dateLiteral(day: string): string;
  /** Epoch milliseconds as a timestamp with time zone. */
  millisInstant(millis: string): string;
  /** True when the JSON text `json` is an object (false, never an error, when it does not parse). */
  jsonIsObject(json: string): string;
  /** The first key of JSON object `json`, by position, whose folded name is one of `folded`. */
  firstKeyFolding(json: string, folded: readonly string[]): string;
  /** JSON kind (see {@link JSON_KINDS}) of the value under `key` of object `json`; NULL when absent or null. */
  jsonKind(json: string, key: string): string;
  /** The contract's text of the value under `key` (string text, integer digits or number text). */
  jsonText(json: string, key: string): string;
  /**
   * A SELECT of the elements of the JSON array text in column `json` of `relation` (a `.json` file
   * read whole): `row_num` (1-based, in array order) and `body` (each element's JSON text). Text
   * that is not a JSON array stops the statement (`fail`) or gives no rows (`empty`).
   */
  jsonArrayRecords(json: string, relation: string, unreadable: UnreadableFile): string;
  /**
   * A SELECT of the lines of `text` (a column of `relation`, a file read whole), each ended by
   * LF, CRLF or CR: `n` (1-based, in file order) and `line` (without its line end).
   */
  splitLines(text: string, relation: string): string;
  /**
   * A SELECT of every match of `pattern` (a SQL string literal of a regular expression with two
   * groups, which RE2, Java and Joni read alike) in `text`, a column of `relation` (a file read
   * whole), left to right: `i` (1-based), `field` (group 1) and `term` (group 2).
   */
  regexpTokens(text: string, relation: string, pattern: string): string;
  /** Aggregate: the values of `value` in a list ordered by `order`. */
  orderedList(value: string, order: string): string;
  /** Item `index` (1-based) of a list; NULL past its end. */
  listItem(list: string, index: number): string;
  /** A list of texts as JSON array text. */
  jsonTextList(list: string): string;
  /** An expression that stops the statement with `message` when it is evaluated (typed boolean). */
  raiseError(message: string, witness: string): string;
  /** The text `text` as a JSON string (`"a\\"b"`); `null` when it is NULL. */
  jsonString(text: string): string;
  /** The JSON text of the value `text` holds when it is JSON; NULL when it is not. */
  jsonValue(text: string): string;
  /** An expression sorted by code point (binary) order. */
  binaryOrder(expression: string): string;
  /**
   * Appended to each layer's subquery so the planner keeps it as a layer: an engine that inlines
   * subqueries would otherwise copy every expression into each place the next layer reads it.
   */
  readonly layerFence: string;
  /** Type names used in plans. */
  readonly types: { readonly text: string; readonly bigint: string; readonly boolean: string };
}

/** `\x{HHHH}` escapes (RE2 and Java) for a class of code points, ranges folded. */
export function braceHexClass(codePoints: readonly number[]): string {
  return ranges(codePoints)
    .map(([from, to]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`))
    .join('');
}

function hex(code: number): string {
  return `\\x{${code.toString(16).toUpperCase().padStart(4, '0')}}`;
}

/** Consecutive runs of sorted code points as [from, to] pairs. */
export function ranges(codePoints: readonly number[]): [number, number][] {
  const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const code of sorted) {
    const last = out[out.length - 1];
    if (last && last[1] === code - 1) last[1] = code;
    else out.push([code, code]);
  }
  return out;
}

/** `expression` where `guard` holds, NULL elsewhere (no guard: always). */
export function guarded(guard: string | undefined, expression: string): string {
  return guard === undefined ? expression : `CASE WHEN ${guard} THEN ${expression} END`;
}

/**
 * What Spark and Trino spell alike: both run Java-syntax regular expressions (java.util.regex,
 * Joni) with one `regexp_extract` per group, and share the class, trim and case spellings; only
 * their string literals (`text`) and character constants (`chars`) differ.
 *
 * @example
 * const SPARK: Dialect = { name: 'spark', text, ...javaRegexParts(text, chars), ... };
 */
export function javaRegexParts(
  text: (value: string) => string,
  chars: (codePoints: readonly number[]) => string,
): Pick<
  Dialect,
  | 'replaceAll'
  | 'captures'
  | 'codePointClass'
  | 'letterClass'
  | 'letterOrDigitClass'
  | 'trimCodePoints'
  | 'lower'
  | 'upper'
> {
  return {
    replaceAll: (subject, pattern, replacement) =>
      `regexp_replace(${subject}, ${text(pattern)}, ${text(replacement.replaceAll('\\', '\\\\').replaceAll('$', '\\$'))})`,
    captures(subject, pattern, groups, alias, guard): Captures {
      // No "all groups at once": each group is its own (cached) regex evaluation.
      const items = Array.from(
        { length: groups },
        (_, i) =>
          `${guarded(guard, `regexp_extract(${subject}, ${text(pattern)}, ${i + 1})`)} AS ${alias}_g${i + 1}`,
      );
      return { items, group: (n) => `${alias}_g${n}` };
    },
    codePointClass: braceHexClass,
    letterClass: '\\p{L}',
    letterOrDigitClass: '\\p{L}\\p{N}',
    trimCodePoints: (subject, codePoints) => `trim(BOTH ${chars(codePoints)} FROM ${subject})`,
    lower: (s) => `lower(${s})`,
    upper: (s) => `upper(${s})`,
  };
}
