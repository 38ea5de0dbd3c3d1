import { guarded, ranges, type Captures, type Dialect } from '../dialect.js';
import { sqlString } from '../sql-text.js';

const text = sqlString;

function uHex(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

function chars(codePoints: readonly number[]): string {
  return codePoints.map((c) => `chr(${c})`).join(' || ');
}

const fold = (k: string): string => `regexp_replace(lower(${k}), '[^[:alpha:][:digit:]]', '', 'g')`;

/**
 * PostgreSQL (15+): POSIX advanced regular expressions (no `\p{L}`: letters are `[:alpha:]` of the
 * database's ctype), `AT TIME ZONE` for zones, set-returning functions where other engines have
 * lists. JSON text must parse (PostgreSQL 15 has no `IS JSON`): readers flag malformed records.
 *
 * @example
 * POSTGRES.dateText('event_date'); // "to_char(event_date, 'YYYY-MM-DD')"
 */
export const POSTGRES: Dialect = {
  name: 'postgres',
  text,
  matches: (subject, pattern) => `(${subject} ~ ${text(pattern)})`,
  replaceAll: (subject, pattern, replacement) =>
    `regexp_replace(${subject}, ${text(pattern)}, ${text(replacement)}, 'g')`,
  captures(subject, pattern, _groups, alias, guard): Captures {
    return {
      items: [`${guarded(guard, `regexp_match(${subject}, ${text(pattern)})`)} AS ${alias}`],
      group: (n) => `${alias}[${n}]`,
    };
  },
  codePointClass: (codePoints) =>
    ranges(codePoints)
      .map(([from, to]) => (from === to ? uHex(from) : `${uHex(from)}-${uHex(to)}`))
      .join(''),
  letterClass: '[:alpha:]',
  letterOrDigitClass: '[:alpha:][:digit:]',
  trimCodePoints: (subject, codePoints) => `btrim(${subject}, ${chars(codePoints)})`,
  lower: (s) => `lower(${s})`,
  upper: (s) => `upper(${s})`,
  capitalizeLetterRuns: (s) =>
    `(SELECT coalesce(string_agg(CASE WHEN m.w[1] ~ '^[[:alpha:]]' THEN upper(left(m.w[1], 1)) || ` +
    `lower(substr(m.w[1], 2)) ELSE m.w[1] END, '' ORDER BY m.n), '') ` +
    `FROM regexp_matches(${s}, '[[:alpha:]]+|[^[:alpha:]]+', 'g') WITH ORDINALITY AS m(w, n))`,
  // div() truncates for numeric too, which sum(bigint) returns; `/` would keep a fraction.
  div: (a, b) => `div(${a}, ${b})`,
  mod: (a, b) => `((${a}) % (${b}))`,
  bigint: (digits) => `CAST(${digits} AS bigint)`,
  integerText: (value) => `CAST(${value} AS text)`,
  pad2: (value) => `lpad(${value}, 2, '0')`,
  zoneOffsetMillis: (zone, utcMillis) =>
    `(CAST(extract(epoch FROM ((timestamptz 'epoch' + (${utcMillis}) * interval '1 millisecond') AT TIME ZONE ${text(
      zone,
    )})) * 1000 AS bigint) - (${utcMillis}))`,
  epochDayDate: (days) => `(DATE '1970-01-01' + CAST(${days} AS integer))`,
  dateText: (date) => `to_char(${date}, 'YYYY-MM-DD')`,
  dateLiteral: (day) => `DATE ${text(day)}`,
  millisInstant: (millis) => `(timestamptz 'epoch' + (${millis}) * interval '1 millisecond')`,
  jsonIsObject: (json) => `(json_typeof(CAST(${json} AS json)) = 'object')`,
  firstKeyFolding: (json, folded) =>
    `(SELECT k.key FROM json_object_keys(CAST(${json} AS json)) WITH ORDINALITY AS k(key, n) ` +
    `WHERE ${fold('k.key')} IN (${folded.map(text).join(', ')}) ORDER BY k.n LIMIT 1)`,
  jsonKind: (json, key) => {
    const value = `(CAST(${json} AS json) -> ${key})`;
    const number = `CAST(${value} AS text)`;
    return (
      `CASE json_typeof(${value}) WHEN 'string' THEN 's' WHEN 'null' THEN NULL WHEN 'number' THEN ` +
      `CASE WHEN CAST(${number} AS double precision) = trunc(CAST(${number} AS double precision)) THEN 'i' ELSE 'n' END ` +
      `ELSE 'x' END`
    );
  },
  jsonText: (json, key) => {
    const value = `(CAST(${json} AS json) -> ${key})`;
    const number = `CAST(CAST(${value} AS text) AS double precision)`;
    return (
      `CASE json_typeof(${value}) WHEN 'string' THEN (CAST(${json} AS json) ->> ${key}) ` +
      `ELSE CASE WHEN ${number} = trunc(${number}) THEN CAST(CAST(${number} AS numeric) AS text) ` +
      // PostgreSQL 12+ writes a double's shortest round-trip digits, as JavaScript does.
      `ELSE CAST(${number} AS text) END END`
    );
  },
  // json, not jsonb: an element keeps its text, key order and duplicate keys.
  // Always fails on text that is not JSON: PostgreSQL 15 has no error-free JSON check (the file
  // readers are rendered for the runners' engines).
  jsonArrayRecords: (json, relation) =>
    `SELECT e.n AS row_num, CAST(e.body AS text) AS body FROM ${relation} ` +
    `CROSS JOIN LATERAL json_array_elements(CAST(${json} AS json)) WITH ORDINALITY AS e(body, n)`,
  splitLines: (value, relation) =>
    `SELECT s.n, s.line FROM ${relation} CROSS JOIN LATERAL unnest(regexp_split_to_array(${value}, '\\r\\n|\\r|\\n')) WITH ORDINALITY AS s(line, n)`,
  regexpTokens: (value, relation, pattern) =>
    `SELECT m.i, m.r[1] AS field, m.r[2] AS term FROM ${relation} ` +
    `CROSS JOIN LATERAL regexp_matches(${value}, ${pattern}, 'g') WITH ORDINALITY AS m(r, i)`,
  orderedList: (value, order) => `array_agg(${value} ORDER BY ${order})`,
  listItem: (list, index) => `(${list})[${index}]`,
  jsonTextList: (list) => `CAST(to_json(${list}) AS text)`,
  // No raising function: a failing cast, kept from constant folding by a column in its text.
  raiseError: (message, witness) =>
    `(CAST(${text(message)} || left(CAST(${witness} AS text), 0) AS integer) IS NULL)`,
  jsonString: (value) => `coalesce(CAST(to_json(CAST(${value} AS text)) AS text), 'null')`,
  // Like jsonIsObject here, text that is not JSON fails the statement (PostgreSQL 15 has no
  // error-free JSON check); PostgreSQL renders the row rules, not the raw-file readers.
  jsonValue: (value) => `CAST(CAST(${value} AS json) AS text)`,
  binaryOrder: (expression) => `${expression} COLLATE "C"`,
  layerFence: ' OFFSET 0',
  types: { text: 'text', bigint: 'bigint', boolean: 'boolean' },
};
