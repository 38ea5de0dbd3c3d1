import type { DuckDBConnection } from '@duckdb/node-api';
import {
  DUCKDB,
  delimitedFieldColumns,
  duckdbJsonKindOf,
  duckdbJsonTextOf,
  recordFieldsSql,
} from '@streampulse/sql';
import type { CanonicalField } from '@streampulse/transform';

// The JSON branch of `recordFieldsSql` (@streampulse/sql), with its per-row costs moved to per
// key list. Which key of a record feeds each field depends only on the record's keys, in order,
// so the host folds each distinct key list of a file once (the reference's own rule, as for a
// CSV header), and DuckDB extracts every field of a record with one `json_extract` over a
// constant list of paths: two parses per record (`json_type` and `json_extract_string` of every
// path at once), where a path per field and function parses the record a few dozen times. A generated file has a handful of key lists for hundreds of
// thousands of records; a file with more than MAX_KEY_LISTS goes through the generic SQL.

/** Distinct key lists a file may have before its fields are found per record instead. */
const MAX_KEY_LISTS = 256;

/** A JSON pointer (RFC 6901) to a top-level key. */
function pointer(key: string): string {
  return `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** A key the list does not hold: its path extracts NULL, as a field with no key. */
function absentKey(keys: readonly string[]): string {
  let key = 'streampulse-absent';
  while (keys.includes(key)) key += '-';
  return key;
}

function textList(values: readonly string[]): string {
  return `CAST([${values.map(DUCKDB.text).join(', ')}] AS VARCHAR[])`;
}

/**
 * Inserts one judged JSON records relation (`row_num`, `body`, `malformed`, `keyset`: the
 * object's keys in order) into `into` in the plan's common shape, as
 * `recordFieldsSql(DUCKDB, { format: 'json', relation }, fileSeq, fields)` does.
 *
 * @example
 * await insertJsonFields(connection, { relation: 'records_3', keysets }, 3, PLAYBACK_FIELDS, 'playback_fields');
 */
export async function insertJsonFields(
  connection: DuckDBConnection,
  records: { readonly relation: string; readonly keysets?: readonly (readonly string[])[] | undefined },
  fileSeq: number,
  fields: readonly CanonicalField[],
  into: string,
): Promise<void> {
  const { relation, keysets } = records;
  // A NUL cannot travel in SQL text: such keys, files with many key lists, and records whose key
  // lists are unknown take the generic SQL.
  if (
    keysets === undefined ||
    keysets.length > MAX_KEY_LISTS ||
    keysets.some((keys) => keys.some((key) => key.includes('\0')))
  ) {
    await connection.run(
      `INSERT INTO ${into} ${recordFieldsSql(DUCKDB, { format: 'json', relation }, fileSeq, fields)}`,
    );
    return;
  }
  if (keysets.length === 0) {
    const nulls = fields.map((f) => `CAST(NULL AS VARCHAR) AS ${f}_t, CAST(NULL AS VARCHAR) AS ${f}_k`);
    await connection.run(
      `INSERT INTO ${into} SELECT ${fileSeq} AS file_seq, row_num, malformed, ${nulls.join(', ')} FROM ${relation}`,
    );
    return;
  }
  const shapes = keysets.map((keys, shape) => {
    const columns = delimitedFieldColumns(keys);
    const absent = absentKey(keys);
    const paths = fields.map((field) => {
      const column = columns[field];
      return pointer(column === undefined ? absent : (keys[column] as string));
    });
    return { keys, shape, paths };
  });
  const byKeys = shapes.map(({ keys, shape }) => `(${textList(keys)}, ${shape})`).join(', ');
  const perShape = (extract: string): string =>
    `CASE m.shape ${shapes.map(({ shape, paths }) => `WHEN ${shape} THEN ${extract}(j.body, ${textList(paths)})`).join(' ')} END`;
  const values = fields.flatMap((field, index) => {
    const [type, text] = [`types[${index + 1}]`, `texts[${index + 1}]`];
    return [
      `CASE WHEN NOT malformed THEN ${duckdbJsonTextOf(type, text)} END AS ${field}_t`,
      `CASE WHEN NOT malformed THEN ${duckdbJsonKindOf(type, text)} END AS ${field}_k`,
    ];
  });
  await connection.run(
    `INSERT INTO ${into} SELECT ${fileSeq} AS file_seq, row_num, malformed, ${values.join(', ')} FROM ` +
      `(SELECT j.row_num, j.malformed, ${perShape('json_type')} AS types, ${perShape('json_extract_string')} AS texts ` +
      `FROM ${relation} AS j ` +
      `LEFT JOIN (VALUES ${byKeys}) AS m(keyset, shape) ON m.keyset = j.keyset) AS extracted`,
  );
}
