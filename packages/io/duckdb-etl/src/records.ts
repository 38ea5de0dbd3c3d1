import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { decodeFile, type DecodedRecord, type FileType } from '@streampulse/formats';
import { DUCKDB, type RecordSource } from '@streampulse/sql';
import { sqlString } from './sql-text.js';

// How one file's records get into DuckDB in the plan's common shape (see RecordSource). The fast
// path is DuckDB's own readers, pinned: no sniffing, every column VARCHAR, explicit delimiter,
// quote and escape, strict quoting. What they cannot read, or might read differently from the
// contract, goes through the reference decoder instead (`decodedRecords`).

/** Stands for "no field here" (a short row's padding): no real field is this text. */
const PADDING = `chr(1) || chr(2) || 'streampulse-padding' || chr(2) || chr(1)`;
/** Header fields DuckDB may pad in the probe; a wider header is read by the reference decoder. */
const MAX_PROBE_COLUMNS = 256;
/**
 * The probe's first width: padding a chunk of rows to 256 columns took ~25 ms per file (most of
 * the probe's cost); only a file whose first rows are wider is probed again at the full width.
 */
const NARROW_PROBE_COLUMNS = 32;
/**
 * Columns read past the header: a ragged row with up to this many extra fields is read whole (its
 * quarantine record keeps them); a wider one makes DuckDB refuse the file, which then goes to the
 * reference decoder.
 */
const EXTRA_COLUMNS = 16;
/** A delimiter no JSON line holds (JSON text cannot hold raw control characters). */
const NO_DELIMITER = 'chr(1) || chr(30) || chr(31) || chr(2)';

/** Where a file's records were put, and how to find each record's raw form for the quarantine. */
export interface LoadedRecords {
  readonly source: RecordSource;
  /** For records the reference decoder read: the raw record by row number. */
  readonly rawByRow?: ReadonlyMap<number, unknown>;
  /** JSON records: each distinct key list of the file's objects, keys in record order. */
  readonly keysets?: readonly (readonly string[])[];
}

/**
 * JSON records (`row_num`, `body`, `malformed`) of `from` judged once into `table`: `malformed`
 * settled (a record that is not a JSON object is malformed), and `keyset`, an object's keys in
 * order. Order-free: run it on every core.
 */
export async function judgeJsonRecords(
  connection: DuckDBConnection,
  from: string,
  table: string,
): Promise<void> {
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT row_num, body, malformed, ` +
      `CASE WHEN NOT malformed THEN json_keys(body) END AS keyset FROM (SELECT row_num, body, ` +
      `coalesce(malformed, NOT ${DUCKDB.jsonIsObject('body')}) AS malformed FROM ${from}) AS j`,
  );
  await connection.run(`DROP TABLE ${from}`);
}

/** The distinct key lists of a judged JSON records table. */
export async function distinctKeysets(connection: DuckDBConnection, table: string): Promise<string[][]> {
  const result = await connection.runAndReadAll(
    `SELECT DISTINCT keyset FROM ${table} WHERE keyset IS NOT NULL`,
  );
  return (result.getRowsJS() as [string[]][]).map(([keys]) => keys);
}

function columnsOption(count: number): string {
  return `{${Array.from({ length: count }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
}

function csvOptions(delimiter: ',' | '\t', columns: number): string {
  const delim = delimiter === ',' ? "','" : 'chr(9)';
  return (
    `header = false, auto_detect = false, all_varchar = true, delim = ${delim}, quote = '"', escape = '"', ` +
    `strict_mode = true, null_padding = true, parallel = false, allow_quoted_nulls = false, skip = 0, hive_partitioning = false, ` +
    `nullstr = ${PADDING}, columns = ${columnsOption(columns)}`
  );
}

/** The c-columns a delimited records table has for a header. */
export function delimitedWidth(header: readonly string[]): number {
  return Math.max(header.length, 1) + EXTRA_COLUMNS;
}

function fieldCount(columns: number): string {
  return Array.from({ length: columns }, (_, i) => `CAST(c${i} IS NOT NULL AS INTEGER)`).join(' + ');
}

/** The header row as DuckDB reads it: the non-padding fields of the file's first record. */
async function probeHeader(connection: DuckDBConnection, file: string, delimiter: ',' | '\t') {
  for (const columns of [NARROW_PROBE_COLUMNS, MAX_PROBE_COLUMNS]) {
    try {
      const probe = await connection.runAndReadAll(
        `SELECT * FROM read_csv(${file}, ${csvOptions(delimiter, columns)}) LIMIT 1`,
      );
      const first = (probe.getRows()[0] ?? []) as (string | null)[];
      const header = first.filter((value): value is string => value !== null);
      if (header.length < columns) return header;
    } catch (error) {
      // The narrow probe fails when one of the first rows is wider: the full width decides.
      if (columns === MAX_PROBE_COLUMNS) throw error;
    }
  }
  throw new Error(`more than ${MAX_PROBE_COLUMNS - 1} header fields`);
}

/**
 * A CSV/TSV file through DuckDB's reader: the header row first (probed), then every record with
 * {@link EXTRA_COLUMNS} columns more than the header, so a row with too many fields is still seen
 * whole. Throws DuckDB's error when the reader refuses the file.
 */
export async function readDelimited(
  connection: DuckDBConnection,
  path: string,
  delimiter: ',' | '\t',
  table: string,
): Promise<LoadedRecords> {
  const file = sqlString(path);
  const header = await probeHeader(connection, file, delimiter);
  const width = delimitedWidth(header);
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table}_raw AS SELECT * FROM read_csv(${file}, ${csvOptions(delimiter, width)})`,
  );
  // rowid is the file order (one reader thread); row 0 is the header.
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT rowid AS row_num, ${fieldCount(width)} AS nfields, * ` +
      `FROM ${table}_raw WHERE rowid > 0`,
  );
  await connection.run(`DROP TABLE ${table}_raw`);
  return { source: { format: 'delimited', relation: table, header } };
}

/**
 * A JSON Lines file through DuckDB's line reader; blank lines (`blankLine`, a condition on
 * `body`) are skipped and not counted.
 */
export async function readJsonLines(
  connection: DuckDBConnection,
  path: string,
  table: string,
  blankLine: string,
): Promise<LoadedRecords> {
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table}_raw AS SELECT * FROM read_csv(${sqlString(path)}, header = false, ` +
      `auto_detect = false, all_varchar = true, delim = ${NO_DELIMITER}, quote = '', escape = '', strict_mode = true, ` +
      `parallel = false, skip = 0, hive_partitioning = false, nullstr = ${PADDING}, columns = {'body': 'VARCHAR'})`,
  );
  const blankLines = await connection.runAndReadAll(`SELECT count(*) FROM ${table}_raw WHERE ${blankLine}`);
  // Without blank lines a record's number is its line's (rowid is the file order): no window.
  const rowNum =
    Number(blankLines.getRows()[0]?.[0] ?? 0) === 0 ? 'rowid + 1' : 'row_number() OVER (ORDER BY rowid)';
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${rowNum} AS row_num, body, ` +
      `CAST(NULL AS BOOLEAN) AS malformed FROM ${table}_raw WHERE NOT ${blankLine}`,
  );
  await connection.run(`DROP TABLE ${table}_raw`);
  return { source: { format: 'json', relation: table } };
}

/** A `.json` file holding an array: each element is a record, numbered from 1. */
export async function readJsonArray(
  connection: DuckDBConnection,
  path: string,
  table: string,
): Promise<LoadedRecords> {
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT CAST(generate_subscripts(items, 1) AS BIGINT) AS row_num, ` +
      `CAST(unnest(items) AS VARCHAR) AS body, CAST(NULL AS BOOLEAN) AS malformed ` +
      `FROM (SELECT json_transform(ltrim(content, chr(65279)), '["JSON"]') AS items FROM read_text(${sqlString(path)}))`,
  );
  return { source: { format: 'json', relation: table } };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A JSON value with every lone surrogate (in keys and strings) as U+FFFD: JSON.stringify would
 * write it as an escape DuckDB's JSON functions refuse. U+FFFD is also what a lone surrogate
 * becomes in UTF-8 on its way to PostgreSQL, and both fold and trim alike, so the loaded rows are
 * the default engine's; the quarantine keeps the original record.
 */
function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\uFFFD');
  if (Array.isArray(value)) return value.map(wellFormed);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [wellFormed(k) as string, wellFormed(v)]),
    );
  }
  return value;
}

function appendText(appender: DuckDBAppender, value: string | null | undefined): void {
  if (value === null || value === undefined) appender.appendNull();
  else appender.appendVarchar(value);
}

/**
 * The records of a file as the reference decoder reads them, put into `table` in the common
 * shape. Throws the decoder's FileDecodeError when the file cannot be read.
 */
export async function decodedRecords(
  connection: DuckDBConnection,
  bytes: AsyncIterable<Uint8Array>,
  type: FileType,
  table: string,
): Promise<LoadedRecords> {
  const records: DecodedRecord[] = [];
  for await (const batch of decodeFile(bytes, type)) for (const record of batch) records.push(record);
  const rawByRow = new Map<number, unknown>(records.map((r) => [r.row, r.raw]));
  if (type.format === 'csv' || type.format === 'tsv') {
    const header = records.find((r) => r.ok)?.names ?? [];
    const width = Math.max(
      header.length,
      ...records.map((r) => (r.ok ? r.values.length : (r.raw as string[]).length)),
      1,
    );
    const columns = Array.from({ length: width }, (_, i) => `c${i} VARCHAR`).join(', ');
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE ${table} (row_num BIGINT, nfields INTEGER, ${columns})`,
    );
    const appender = await connection.createAppender(table);
    for (const record of records) {
      const fields = (record.ok ? record.values : record.raw) as string[];
      appender.appendBigInt(BigInt(record.row));
      // A malformed record has another field count than the header (an unknown header counts 0).
      appender.appendInteger(fields.length);
      for (let i = 0; i < width; i++) appendText(appender, fields[i]);
      appender.endRow();
    }
    appender.closeSync();
    return { source: { format: 'delimited', relation: table, header }, rawByRow };
  }
  const read = `${table}_read`;
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${read} (row_num BIGINT, body VARCHAR, malformed BOOLEAN)`,
  );
  const appender = await connection.createAppender(read);
  for (const record of records) {
    appender.appendBigInt(BigInt(record.row));
    appendText(appender, record.ok ? JSON.stringify(wellFormed(record.raw)) : null);
    appender.appendBoolean(!record.ok);
    appender.endRow();
  }
  appender.closeSync();
  await judgeJsonRecords(connection, read, table);
  const keysets = await distinctKeysets(connection, table);
  return { source: { format: 'json', relation: table }, rawByRow, keysets };
}
