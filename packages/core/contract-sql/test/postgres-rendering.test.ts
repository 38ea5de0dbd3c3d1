import { pipelineSettingsSchema } from '@streampulse/schema';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DUCKDB,
  PLAYBACK_FIELDS,
  playbackSql,
  POSTGRES,
  recordFieldsSql,
  timestampValuesSql,
  type Dialect,
} from '../src/index.js';
import { openDuckdb, rowsOf } from './support.js';

// The PostgreSQL rendering of the row rules, run on PostgreSQL, held to the DuckDB rendering
// (itself held to the reference by the property tests) on the same records.

afterAll(stopTestServer);

let db: TestDatabase;
let duck: Awaited<ReturnType<typeof openDuckdb>>;
beforeAll(async () => {
  db = await createTestDatabase('render');
  duck = await openDuckdb();
});
afterAll(async () => {
  duck.close();
  await db.drop();
});

const HEADER = ['Session ID', 'userId', 'video_id', 'Platform', 'started_at', 'END'];
const RECORDS: (string | null)[][] = [
  ['S1', 'U1', 'C1', 'Smart TV', '2025-03-09 02:30:00', '2025-03-09T10:00:00.12345Z'],
  [' S2 ', 'u', 'c', 'toaster', '09/03/2025 01:30:00', '1741600000.9999'],
  ['S3', 'u', 'c', 'PS5', '09/03-2025 01:30:00', '2025-03-10T10:00:00Z'],
  ['S4', 'u', 'c', '', '2025-11-02 01:30:00', '1762061400999'],
  ['S5', 'N/A', 'c', 'ipad', '2025-11-02 01:30:00', '2025-11-02 03:00'],
  ['S6', 'u', 'c', '--', '2025/03/30 02:15:00', '2025-03-30T12:00:00+05:30'],
  ['S7', 'u', 'c', 'xbox', '2025-03-10T10:00:00-0530', '2025-03-10T16:00:00Z'],
  ['S8', 'u', 'c', 'web', '2025-03-10T10:00:00+14', '2025-03-11T10:00:00Z'],
  ['S9', 'u', 'c', 'web', '1999-12-31T23:59:59.999Z', '2000-01-01T00:00:00Z'],
  ['S10', 'u', 'c', 'web', '2025-02-29 10:00', '2025-03-01 10:00'],
  ['S11', 'u', 'c', null, '2025-03-11T10:00:00Z', '2025-03-12T10:00:00.001Z'],
];

async function run(d: Dialect, query: (sql: string) => Promise<Record<string, unknown>[]>, zone: string) {
  const settings = pipelineSettingsSchema.parse({
    sourceTimeZone: zone,
    reportingTimeZone: 'America/New_York',
  });
  const fields = recordFieldsSql(
    d,
    { format: 'delimited', relation: 'rec', header: HEADER },
    0,
    PLAYBACK_FIELDS,
  );
  const sql = playbackSql(d, fields, settings, { content: 'dim_content', users: 'dim_user' });
  const rows = await query(`SELECT * FROM (${sql}) AS p ORDER BY row_num`);
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])),
  );
}

describe('the PostgreSQL rendering', () => {
  it.each(['UTC', 'America/New_York', 'Europe/Berlin'])(
    'judges rows exactly as the DuckDB rendering does (source zone %s)',
    async (zone) => {
      const values = RECORDS.map(
        (r, i) => `(${i + 1}, 6, ${r.map((v) => (v === null ? 'NULL' : DUCKDB.text(v))).join(', ')})`,
      ).join(', ');
      const columns = '(row_num, nfields, c0, c1, c2, c3, c4, c5)';
      await duck.connection.run(
        `CREATE OR REPLACE TABLE rec AS SELECT * FROM (VALUES ${values}) AS v${columns}`,
      );
      await duck.connection.run(
        'CREATE OR REPLACE TABLE dim_content (content_id VARCHAR, title VARCHAR, genre VARCHAR)',
      );
      await duck.connection.run(
        "CREATE OR REPLACE TABLE dim_user AS SELECT 'u' AS user_id, 'North' AS region",
      );
      await db.pool.query('DROP TABLE IF EXISTS rec, dim_content, dim_user');
      await db.pool.query(`CREATE TABLE rec AS SELECT * FROM (VALUES ${values}) AS v${columns}`);
      await db.pool.query('CREATE TABLE dim_content (content_id text, title text, genre text)');
      await db.pool.query("CREATE TABLE dim_user AS SELECT 'u'::text AS user_id, 'North'::text AS region");
      const expected = await run(DUCKDB, (sql) => rowsOf(duck.connection, sql), zone);
      const actual = await run(POSTGRES, async (sql) => (await db.pool.query(sql)).rows, zone);
      expect(actual).toEqual(expected);
      expect(expected.filter((r) => r.reason === null).length).toBeGreaterThan(3);
    },
  );

  it('reads DST gaps and overlaps as the DuckDB rendering does', async () => {
    const samples: string[] = [];
    for (const [day, hours] of [
      ['2025-03-09', [1, 2, 3]],
      ['2025-11-02', [0, 1, 2]],
      ['2025-03-30', [1, 2, 3]],
      ['2025-10-26', [1, 2, 3]],
    ] as const) {
      for (const hour of hours)
        for (const minute of [0, 29, 59])
          samples.push(`${day} 0${hour}:${String(minute).padStart(2, '0')}:00`);
    }
    const values = samples.map((s, i) => `(${i}, ${DUCKDB.text(s)}, 's')`).join(', ');
    const relation = `SELECT * FROM (VALUES ${values}) AS v(i, ts_t, ts_k)`;
    for (const zone of ['America/New_York', 'Europe/Berlin']) {
      const expected = await rowsOf(
        duck.connection,
        `SELECT i, CAST(ts_ms AS VARCHAR) AS ms FROM (${timestampValuesSql(DUCKDB, relation, zone)}) AS t ORDER BY i`,
      );
      const actual = await db.pool.query(
        `SELECT i, CAST(ts_ms AS text) AS ms FROM (${timestampValuesSql(POSTGRES, relation, zone)}) AS t ORDER BY i`,
      );
      expect(actual.rows).toEqual(expected);
    }
  });
});

describe('JSON arrays on PostgreSQL and DuckDB', () => {
  it('give each element its 1-based position and its JSON text, keys in document order', async () => {
    const file = '[{"b": 1, "a": [2, 3]}, 4.50, "x", null, {"b": 2, "b": 3}]';
    const pg = await db.pool.query<{ row_num: string; body: string }>(
      `SELECT row_num, body FROM (${POSTGRES.jsonArrayRecords('value', `(SELECT CAST($1 AS text) AS value) AS f`, 'fail')}) AS e ORDER BY row_num`,
      [file],
    );
    const duckRows = await rowsOf(
      duck.connection,
      `SELECT row_num, body FROM (${DUCKDB.jsonArrayRecords('value', `(SELECT '${file}' AS value) AS f`, 'fail')}) AS e ORDER BY row_num`,
    );
    const parsed = (rows: { row_num: unknown; body: unknown }[]) =>
      rows.map((r) => [Number(r.row_num), JSON.parse(String(r.body)) as unknown]);
    const expected = [
      [1, { b: 1, a: [2, 3] }],
      [2, 4.5],
      [3, 'x'],
      [4, null],
      [5, { b: 3 }],
    ];
    expect(parsed(pg.rows)).toEqual(expected);
    expect(parsed(duckRows as { row_num: unknown; body: unknown }[])).toEqual(expected);
    expect(Object.keys(JSON.parse(String(pg.rows[0]?.body)) as object)).toEqual(['b', 'a']);
    expect(Object.keys(JSON.parse(String(duckRows[0]?.body)) as object)).toEqual(['b', 'a']);
  });
});

describe('JSON text for the quarantine on PostgreSQL and DuckDB', () => {
  it('writes any text as the JSON string JavaScript would, and NULL as null', async () => {
    const texts = ['plain', 'quote " and \\ backslash', 'tab\tline\nend\r', 'ünï 😀', '\u0001', ''];
    for (const value of texts) {
      const pg = await db.pool.query<{ j: string }>(
        `SELECT ${POSTGRES.jsonString('CAST($1 AS text)')} AS j`,
        [value],
      );
      const literal = `'${value.replaceAll("'", "''")}'`;
      const [duckRow] = await rowsOf(duck.connection, `SELECT ${DUCKDB.jsonString(literal)} AS j`);
      expect(JSON.parse(String(pg.rows[0]?.j))).toBe(value);
      expect(JSON.parse(String(duckRow?.j))).toBe(value);
    }
    const pgNull = await db.pool.query<{ j: string }>(
      `SELECT ${POSTGRES.jsonString('CAST(NULL AS text)')} AS j`,
    );
    const [duckNull] = await rowsOf(
      duck.connection,
      `SELECT ${DUCKDB.jsonString('CAST(NULL AS VARCHAR)')} AS j`,
    );
    expect([pgNull.rows[0]?.j, duckNull?.j]).toEqual(['null', 'null']);
  });

  it('keeps a JSON text as its value, and tells text that is not JSON (DuckDB)', async () => {
    const [row] = await rowsOf(
      duck.connection,
      `SELECT ${DUCKDB.jsonValue(`'{"a": [1, 2.50], "b": null}'`)} AS object, ${DUCKDB.jsonValue(`'{"a": 1'`)} AS broken`,
    );
    expect(JSON.parse(String(row?.object))).toEqual({ a: [1, 2.5], b: null });
    expect(row?.broken).toBeNull();
  });
});

describe('splitting a file into lines on PostgreSQL and DuckDB', () => {
  it('ends a line at LF, CRLF (one end) or a lone CR', async () => {
    const text = '{"a":1}\r\n\n  \r{"b":2}\r{"c":3}\n';
    const expected = ['{"a":1}', '', '  ', '{"b":2}', '{"c":3}', ''];
    const pg = await db.pool.query<{ n: string; line: string }>(
      `SELECT n, line FROM (${POSTGRES.splitLines('value', '(SELECT CAST($1 AS text) AS value) AS f')}) AS l ORDER BY n`,
      [text],
    );
    const literal = `'${text.replaceAll("'", "''")}'`;
    const duckRows = await rowsOf(
      duck.connection,
      `SELECT n, line FROM (${DUCKDB.splitLines('value', `(SELECT ${literal} AS value) AS f`)}) AS l ORDER BY n`,
    );
    expect(pg.rows.map((r) => [Number(r.n), r.line])).toEqual(expected.map((line, i) => [i + 1, line]));
    expect(duckRows.map((r) => [Number(r.n), r.line])).toEqual(expected.map((line, i) => [i + 1, line]));
  });
});

describe('cutting a delimited text into fields on PostgreSQL and DuckDB', () => {
  it('finds the same fields and field ends, quotes, line ends and all', async () => {
    const pattern = String.raw`("[^"]*(?:""[^"]*)*"|[^",\r\n][^,\r\n]*|)(,|\r\n|\r|\n|$)`;
    for (const text of ['a,b\n1,"x""y"\n\n  \r,,\r\n"q\nr",z', 'a,b\n1,', 'c"d,e\r\n']) {
      const pg = await db.pool.query<{ field: string; term: string }>(
        `SELECT field, term FROM (${POSTGRES.regexpTokens('value', '(SELECT CAST($1 AS text) AS value) AS f', POSTGRES.text(pattern))}) AS t ORDER BY i`,
        [text],
      );
      const duckRows = await rowsOf(
        duck.connection,
        `SELECT field, term FROM (${DUCKDB.regexpTokens('value', `(SELECT ${DUCKDB.text(text)} AS value) AS f`, DUCKDB.text(pattern))}) AS t ORDER BY i`,
      );
      const fields = (rows: { field: unknown; term: unknown }[]) =>
        rows.map((r) => `${String(r.field)}|${JSON.stringify(r.term)}`);
      expect(fields(pg.rows)).toEqual(fields(duckRows as { field: unknown; term: unknown }[]));
      expect(pg.rows.map((r) => r.field + r.term).join('')).toBe(text);
    }
  });
});
