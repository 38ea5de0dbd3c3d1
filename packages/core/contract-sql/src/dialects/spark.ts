import { javaRegexParts, type Dialect } from '../dialect.js';

/** Spark string literals read backslash escapes: a backslash (and a quote) must be escaped. */
function text(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function chars(codePoints: readonly number[]): string {
  // chr() in Spark only knows 0-255; a \u escape in a literal spells any BMP character.
  return `'${codePoints.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}'`;
}

const fold = (k: string): string => `regexp_replace(lower(${k}), '[^\\\\p{L}\\\\p{N}]', '')`;

/** The raw JSON text right after `"key":` — Spark's get_json_object hides a value's JSON type. */
function rawValueStart(json: string, key: string): string {
  return `regexp_extract(${json}, concat('"\\\\Q', ${key}, '\\\\E"\\\\s*:\\\\s*(.)'), 1)`;
}

/**
 * True when `json` is exactly one JSON value (never NULL). Spark's JSON functions (Jackson) stop
 * after the first value and ignore what follows (`{"a":1} x` would pass); inside brackets that
 * text must parse as an array of one element, which it does only when nothing follows.
 */
function sparkIsOneJsonValue(json: string): string {
  return `coalesce(json_array_length(concat('[', ${json}, ']')) = 1, false)`;
}

/**
 * A fractional double as JavaScript writes it: Spark's own text of a double past 1e7 is
 * scientific (`1.74160006025E9`), where JavaScript and the contract's reader write
 * `1741600060.25`. The shortest digits Spark writes, read back as a decimal, come out plain;
 * trailing zeros of the fraction go. Outside JavaScript's plain range, Spark's text stays.
 */
function sparkNumberText(double: string): string {
  const plain = `regexp_replace(CAST(CAST(CAST(${double} AS STRING) AS DECIMAL(38, 18)) AS STRING), '\\\\.?0+$', '')`;
  return `CASE WHEN abs(${double}) >= 1e-6 AND abs(${double}) < 1e20 THEN ${plain} ELSE CAST(${double} AS STRING) END`;
}

/**
 * A text as a JSON string. to_json takes no bare string, so a one-element array's text with its
 * brackets removed; `(?s)` because Jackson leaves U+2028 and U+0085 unescaped, which `.` would
 * not match otherwise.
 */
function sparkJsonString(value: string): string {
  return `regexp_extract(to_json(array(CAST(${value} AS STRING))), ${text(String.raw`(?s)^\[(.*)\]$`)}, 1)`;
}

/**
 * Spark SQL (3.3+, Glue 4 and 5): Java regular expressions, `from_utc_timestamp` offsets, arrays
 * with lambdas, JSON through get_json_object / json_object_keys (Jackson).
 *
 * @example
 * SPARK.text("it's"); // "'it\\'s'"
 */
export const SPARK: Dialect = {
  name: 'spark',
  text,
  matches: (subject, pattern) => `(${subject} RLIKE ${text(pattern)})`,
  ...javaRegexParts(text, chars),
  capitalizeLetterRuns: (s) =>
    `array_join(transform(regexp_extract_all(${s}, '(\\\\p{L}+|\\\\P{L}+)', 1), w -> ` +
    `CASE WHEN w RLIKE '^\\\\p{L}' THEN concat(upper(substring(w, 1, 1)), lower(substring(w, 2))) ELSE w END), '')`,
  div: (a, b) => `((${a}) div (${b}))`,
  mod: (a, b) => `((${a}) % (${b}))`,
  bigint: (digits) => `CAST(${digits} AS BIGINT)`,
  integerText: (value) => `CAST(${value} AS STRING)`,
  pad2: (value) => `lpad(${value}, 2, '0')`,
  zoneOffsetMillis: (zone, utcMillis) =>
    `(unix_millis(from_utc_timestamp(timestamp_millis(${utcMillis}), ${text(zone)})) - (${utcMillis}))`,
  epochDayDate: (days) => `date_add(DATE '1970-01-01', CAST(${days} AS INT))`,
  dateText: (date) => `date_format(${date}, 'yyyy-MM-dd')`,
  dateLiteral: (day) => `DATE ${text(day)}`,
  millisInstant: (millis) => `timestamp_millis(${millis})`,
  jsonIsObject: (json) => `(json_object_keys(${json}) IS NOT NULL AND ${sparkIsOneJsonValue(json)})`,
  firstKeyFolding: (json, folded) =>
    `try_element_at(filter(json_object_keys(${json}), k -> ${fold('k')} IN (${folded.map(text).join(', ')})), 1)`,
  jsonKind: (json, key) => {
    const start = rawValueStart(json, key);
    const value = `get_json_object(${json}, concat('$[\\'', ${key}, '\\']'))`;
    return (
      `CASE WHEN ${value} IS NULL THEN NULL WHEN ${start} = '"' THEN 's' ` +
      `WHEN ${start} RLIKE '[-0-9]' THEN CASE WHEN CAST(${value} AS DOUBLE) = floor(CAST(${value} AS DOUBLE)) ` +
      `THEN 'i' ELSE 'n' END ELSE 'x' END`
    );
  },
  jsonText: (json, key) => {
    const value = `get_json_object(${json}, concat('$[\\'', ${key}, '\\']'))`;
    const start = rawValueStart(json, key);
    return (
      `CASE WHEN ${start} = '"' THEN ${value} ` +
      `WHEN CAST(${value} AS DOUBLE) = floor(CAST(${value} AS DOUBLE)) THEN CAST(CAST(CAST(${value} AS DOUBLE) AS DECIMAL(38, 0)) AS STRING) ` +
      `ELSE ${sparkNumberText(`CAST(${value} AS DOUBLE)`)} END`
    );
  },
  // from_json into array<string> keeps each element's JSON text; posexplode numbers them from 0.
  // FAILFAST stops the run on a file that is not a JSON array; PERMISSIVE (Spark's default) gives
  // NULL, so no rows and no error.
  jsonArrayRecords: (json, relation, unreadable) =>
    `SELECT pos + 1 AS row_num, body FROM (SELECT posexplode(from_json(${json}, 'array<string>', ` +
    `map('mode', '${unreadable === 'fail' ? 'FAILFAST' : 'PERMISSIVE'}'))) AS (pos, body) FROM ${relation}) AS exploded`,
  // split takes a Java pattern, whose alternation prefers the first alternative: CRLF is one end.
  splitLines: (value, relation) =>
    `SELECT pos + 1 AS n, line FROM (SELECT posexplode(split(${value}, ${text(String.raw`\r\n|\r|\n`)})) AS (pos, line) FROM ${relation}) AS exploded`,
  // arrays_zip names its struct fields after the zipped columns, so the arrays get names first.
  regexpTokens: (value, relation, pattern) =>
    `SELECT pos + 1 AS i, tok.f AS field, tok.t AS term FROM (SELECT posexplode(arrays_zip(f, t)) AS (pos, tok) ` +
    `FROM (SELECT regexp_extract_all(${value}, ${pattern}, 1) AS f, regexp_extract_all(${value}, ${pattern}, 2) AS t ` +
    `FROM ${relation}) AS a) AS m`,
  // collect_list keeps no order: pairs sorted by their first field, then the values.
  orderedList: (value, order) =>
    `transform(array_sort(collect_list(named_struct('o', ${order}, 'v', ${value}))), x -> x.v)`,
  listItem: (list, index) => `try_element_at(${list}, ${index})`,
  jsonTextList: (list) => `to_json(${list})`,
  raiseError: (message) => `CAST(raise_error(${text(message)}) AS BOOLEAN)`,
  jsonString: sparkJsonString,
  // get_json_object(v, '$') is the value Jackson parsed, written again; a string comes back
  // unquoted and JSON null as NULL, so both are asked for by name.
  jsonValue: (value) => {
    const parsed = `get_json_object(${value}, '$')`;
    return (
      `CASE WHEN NOT ${sparkIsOneJsonValue(value)} THEN NULL WHEN ${parsed} IS NULL THEN 'null' ` +
      `WHEN regexp_extract(${value}, ${text(String.raw`^\s*(.)`)}, 1) = '"' THEN ${sparkJsonString(parsed)} ` +
      `ELSE ${parsed} END`
    );
  },
  binaryOrder: (expression) => expression,
  layerFence: '',
  types: { text: 'STRING', bigint: 'BIGINT', boolean: 'BOOLEAN' },
};
