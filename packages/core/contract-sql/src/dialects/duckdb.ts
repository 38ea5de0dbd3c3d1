import { braceHexClass, guarded, type Captures, type Dialect } from '../dialect.js';
import { sqlString } from '../sql-text.js';

const text = sqlString;

/** A JSON pointer (RFC 6901) to a key of the top-level object, built in SQL from the key text. */
function pointer(key: string): string {
  return `('/' || replace(replace(${key}, '~', '~0'), '/', '~1'))`;
}

/** Code points as a string built with chr(), so the SQL text stays printable. */
function chars(codePoints: readonly number[]): string {
  return codePoints.map((c) => `chr(${c})`).join(' || ');
}

/**
 * JSON kind (see `JSON_KINDS`) of a JSON value from its `json_type` and `json_extract_string`
 * (NULL for JSON null or no value). The DuckDB engine applies it to lists of both taken with one
 * parse of a record (`json_type(body, [paths])`); the dialect's `jsonKind` to one key.
 *
 * @example
 * duckdbJsonKindOf("json_type(body, '/user_id')", "json_extract_string(body, '/user_id')");
 */
export function duckdbJsonKindOf(type: string, text: string): string {
  const number = `TRY_CAST(${text} AS DOUBLE)`;
  return (
    `CASE ${type} WHEN 'VARCHAR' THEN 's' WHEN 'NULL' THEN NULL ` +
    `WHEN 'BOOLEAN' THEN 'x' WHEN 'OBJECT' THEN 'x' WHEN 'ARRAY' THEN 'x' ` +
    `ELSE CASE WHEN ${number} IS NULL OR NOT isfinite(${number}) THEN 'x' ` +
    `WHEN ${number} = trunc(${number}) THEN 'i' ELSE 'n' END END`
  );
}

/**
 * The contract's text of a JSON value from its `json_type` and `json_extract_string`: a
 * string's contents, an integral number's exact digits, another number as JavaScript prints it
 * (NULL for values of kind `x`, whose text no rule reads).
 *
 * @example
 * duckdbJsonTextOf("json_type(body, '/user_id')", "json_extract_string(body, '/user_id')");
 */
export function duckdbJsonTextOf(type: string, text: string): string {
  // json_extract_string gives a number's text as yyjson writes it: the same double.
  const number = `TRY_CAST(${text} AS DOUBLE)`;
  return (
    `CASE ${type} WHEN 'VARCHAR' THEN ${text} WHEN 'NULL' THEN NULL ` +
    `WHEN 'BOOLEAN' THEN NULL WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ` +
    `ELSE CASE WHEN ${number} = trunc(${number}) THEN CAST(TRY_CAST(${number} AS HUGEINT) AS VARCHAR) ` +
    // DuckDB writes exponents with two digits (1.5e-07); JavaScript with as few as needed.
    `ELSE regexp_replace(CAST(${number} AS VARCHAR), 'e([+-])0*', 'e\\1') END END`
  );
}

/**
 * DuckDB (1.5): RE2 regular expressions, ICU time zones, lists with lambdas, JSON via its json
 * extension (yyjson).
 *
 * @example
 * DUCKDB.zoneOffsetMillis('America/New_York', 'ms');
 */
export const DUCKDB: Dialect = {
  name: 'duckdb',
  text,
  matches: (subject, pattern) => `regexp_matches(${subject}, ${text(pattern)})`,
  replaceAll: (subject, pattern, replacement) =>
    `regexp_replace(${subject}, ${text(pattern)}, ${text(replacement)}, 'g')`,
  captures(subject, pattern, groups, alias, guard): Captures {
    // One regex evaluation yields every group as a struct field.
    const names = Array.from({ length: groups }, (_, i) => text(`g${i + 1}`)).join(', ');
    return {
      items: [`${guarded(guard, `regexp_extract(${subject}, ${text(pattern)}, [${names}])`)} AS ${alias}`],
      group: (n) => `${alias}.g${n}`,
    };
  },
  codePointClass: braceHexClass,
  letterClass: '\\pL',
  letterOrDigitClass: '\\pL\\pN',
  // trim() with a long character set costs ~1 µs a value; the regex check first is ~0.1 µs, and
  // most values have nothing to trim.
  trimCodePoints: (subject, codePoints) => {
    const edge = braceHexClass(codePoints);
    return `CASE WHEN regexp_matches(${subject}, '^[${edge}]|[${edge}]$') THEN trim(${subject}, ${chars(codePoints)}) ELSE ${subject} END`;
  },
  lower: (s) => `lower(${s})`,
  upper: (s) => `upper(${s})`,
  capitalizeLetterRuns: (s) =>
    `array_to_string(list_transform(regexp_extract_all(${s}, '\\pL+|\\PL+'), lambda w: ` +
    `CASE WHEN regexp_matches(w, '^\\pL') THEN upper(left(w, 1)) || lower(substr(w, 2)) ELSE w END), '')`,
  div: (a, b) => `(${a}) // (${b})`,
  mod: (a, b) => `(${a}) % (${b})`,
  bigint: (digits) => `CAST(${digits} AS BIGINT)`,
  integerText: (value) => `CAST(${value} AS VARCHAR)`,
  pad2: (value) => `lpad(${value}, 2, '0')`,
  zoneOffsetMillis: (zone, utcMillis) =>
    `(epoch_ms(timezone(${text(zone)}, timezone('UTC', epoch_ms(CAST(${utcMillis} AS BIGINT))))) - (${utcMillis}))`,
  epochDayDate: (days) => `(DATE '1970-01-01' + CAST(${days} AS INTEGER))`,
  dateText: (date) => `strftime(${date}, '%Y-%m-%d')`,
  dateLiteral: (day) => `DATE ${text(day)}`,
  millisInstant: (millis) => `timezone('UTC', epoch_ms(CAST(${millis} AS BIGINT)))`,
  // AND does not stop json_type from seeing (and failing on) text that is not JSON.
  jsonIsObject: (json) => `CASE WHEN json_valid(${json}) THEN json_type(${json}) = 'OBJECT' ELSE false END`,
  firstKeyFolding: (json, folded) =>
    `list_filter(json_keys(${json}), lambda k: regexp_replace(lower(k), '[^\\pL\\pN]', '', 'g') IN (${folded
      .map(text)
      .join(', ')}))[1]`,
  jsonKind: (json, key) =>
    duckdbJsonKindOf(`json_type(${json}, ${pointer(key)})`, `json_extract_string(${json}, ${pointer(key)})`),
  jsonText: (json, key) =>
    duckdbJsonTextOf(`json_type(${json}, ${pointer(key)})`, `json_extract_string(${json}, ${pointer(key)})`),
  // One parse per file: a list cast, then its elements and their subscripts unnested side by side.
  jsonArrayRecords: (json, relation, unreadable) => {
    const cast = unreadable === 'fail' ? 'CAST' : 'TRY_CAST';
    return (
      `SELECT generate_subscripts(arr, 1) AS row_num, CAST(unnest(arr) AS VARCHAR) AS body ` +
      `FROM (SELECT ${cast}(${cast}(${json} AS JSON) AS JSON[]) AS arr FROM ${relation}) AS file`
    );
  },
  // RE2 alternation prefers the first alternative, so CRLF is one line end.
  splitLines: (value, relation) =>
    `SELECT generate_subscripts(parts, 1) AS n, unnest(parts) AS line ` +
    `FROM (SELECT regexp_split_to_array(${value}, '\\r\\n|\\r|\\n') AS parts FROM ${relation}) AS file`,
  regexpTokens: (value, relation, pattern) =>
    `SELECT generate_subscripts(f, 1) AS i, unnest(f) AS field, unnest(t) AS term FROM (SELECT ` +
    `regexp_extract_all(${value}, ${pattern}, 1) AS f, regexp_extract_all(${value}, ${pattern}, 2) AS t FROM ${relation}) AS m`,
  orderedList: (value, order) => `list(${value} ORDER BY ${order})`,
  listItem: (list, index) => `${list}[${index}]`,
  jsonTextList: (list) => `CAST(to_json(${list}) AS VARCHAR)`,
  raiseError: (message) => `CAST(error(${text(message)}) AS BOOLEAN)`,
  jsonString: (value) => `coalesce(CAST(to_json(CAST(${value} AS VARCHAR)) AS VARCHAR), 'null')`,
  jsonValue: (value) => `CASE WHEN json_valid(${value}) THEN CAST(json(${value}) AS VARCHAR) END`,
  binaryOrder: (expression) => expression,
  layerFence: '',
  types: { text: 'VARCHAR', bigint: 'BIGINT', boolean: 'BOOLEAN' },
};
