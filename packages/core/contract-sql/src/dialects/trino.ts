import { javaRegexParts, type Dialect } from '../dialect.js';
import { sqlString } from '../sql-text.js';

const text = sqlString;

function chars(codePoints: readonly number[]): string {
  return codePoints.map((c) => `chr(${c})`).join(' || ');
}

const fold = (k: string): string => `regexp_replace(lower(${k}), '[^\\p{L}\\p{N}]', '')`;

/** A JSON path to a top-level key, quoted for any key text. */
function path(key: string): string {
  return `concat('$["', replace(replace(${key}, '\\', '\\\\'), '"', '\\"'), '"]')`;
}

/**
 * Trino (Athena engine 3): Joni (Java-syntax) regular expressions, `at_timezone` offsets, arrays
 * with lambdas, JSON through json_parse / json_query.
 *
 * @example
 * TRINO.epochDayDate('d'); // "date_add('day', d, DATE '1970-01-01')"
 */
export const TRINO: Dialect = {
  name: 'trino',
  text,
  matches: (subject, pattern) => `regexp_like(${subject}, ${text(pattern)})`,
  ...javaRegexParts(text, chars),
  capitalizeLetterRuns: (s) =>
    `array_join(transform(regexp_extract_all(${s}, '\\p{L}+|\\P{L}+'), w -> ` +
    `IF(regexp_like(w, '^\\p{L}'), upper(substr(w, 1, 1)) || lower(substr(w, 2)), w)), '')`,
  div: (a, b) => `((${a}) / (${b}))`,
  mod: (a, b) => `((${a}) % (${b}))`,
  bigint: (digits) => `CAST(${digits} AS BIGINT)`,
  integerText: (value) => `CAST(${value} AS VARCHAR)`,
  pad2: (value) => `lpad(${value}, 2, '0')`,
  zoneOffsetMillis: (zone, utcMillis) => {
    const local = `at_timezone(from_unixtime_nanos(CAST(${utcMillis} AS BIGINT) * 1000000), ${text(zone)})`;
    return `((timezone_hour(${local}) * 60 + timezone_minute(${local})) * 60000)`;
  },
  epochDayDate: (days) => `date_add('day', ${days}, DATE '1970-01-01')`,
  dateText: (date) => `CAST(${date} AS VARCHAR)`,
  dateLiteral: (day) => `DATE ${text(day)}`,
  millisInstant: (millis) => `from_unixtime_nanos(CAST(${millis} AS BIGINT) * 1000000)`,
  jsonIsObject: (json) => `coalesce(json_format(try(json_parse(${json}))) LIKE '{%', false)`,
  firstKeyFolding: (json, folded) =>
    // keyvalue() lists an object's members in document order, which a MAP cast would lose.
    `element_at(filter(CAST(json_parse(json_query(${json}, 'lax $.keyvalue().name' WITH ARRAY WRAPPER)) AS ARRAY(VARCHAR)), ` +
    `k -> ${fold('k')} IN (${folded.map(text).join(', ')})), 1)`,
  jsonKind: (json, key) => {
    const raw = `json_format(json_extract(${json}, ${path(key)}))`;
    return (
      `CASE substr(${raw}, 1, 1) WHEN '"' THEN 's' WHEN 'n' THEN NULL WHEN 't' THEN 'x' WHEN 'f' THEN 'x' ` +
      `WHEN '{' THEN 'x' WHEN '[' THEN 'x' ELSE CASE WHEN CAST(${raw} AS DOUBLE) = floor(CAST(${raw} AS DOUBLE)) ` +
      `THEN 'i' ELSE 'n' END END`
    );
  },
  jsonText: (json, key) => {
    const raw = `json_format(json_extract(${json}, ${path(key)}))`;
    return (
      `CASE WHEN substr(${raw}, 1, 1) = '"' THEN json_extract_scalar(${json}, ${path(key)}) ` +
      `WHEN CAST(${raw} AS DOUBLE) = floor(CAST(${raw} AS DOUBLE)) THEN CAST(CAST(CAST(${raw} AS DOUBLE) AS DECIMAL(38, 0)) AS VARCHAR) ` +
      `ELSE ${raw} END`
    );
  },
  jsonArrayRecords: (json, relation, unreadable) => {
    const array = `CAST(json_parse(${json}) AS ARRAY(JSON))`;
    return (
      `SELECT e.n AS row_num, json_format(e.body) AS body FROM ${relation} ` +
      `CROSS JOIN UNNEST(${unreadable === 'fail' ? array : `try(${array})`}) WITH ORDINALITY AS e(body, n)`
    );
  },
  splitLines: (value, relation) =>
    `SELECT s.n, s.line FROM ${relation} CROSS JOIN UNNEST(regexp_split(${value}, '\\r\\n|\\r|\\n')) WITH ORDINALITY AS s(line, n)`,
  regexpTokens: (value, relation, pattern) =>
    `SELECT m.i, m.field, m.term FROM (SELECT regexp_extract_all(${value}, ${pattern}, 1) AS f, ` +
    `regexp_extract_all(${value}, ${pattern}, 2) AS t FROM ${relation}) AS a ` +
    `CROSS JOIN UNNEST(a.f, a.t) WITH ORDINALITY AS m(field, term, i)`,
  orderedList: (value, order) => `array_agg(${value} ORDER BY ${order})`,
  listItem: (list, index) => `element_at(${list}, ${index})`,
  jsonTextList: (list) => `json_format(CAST(${list} AS JSON))`,
  raiseError: (message) => `CAST(fail(${text(message)}) AS BOOLEAN)`,
  jsonString: (value) => `coalesce(json_format(CAST(CAST(${value} AS VARCHAR) AS JSON)), 'null')`,
  jsonValue: (value) => `json_format(try(json_parse(${value})))`,
  binaryOrder: (expression) => expression,
  layerFence: '',
  types: { text: 'VARCHAR', bigint: 'BIGINT', boolean: 'BOOLEAN' },
};
