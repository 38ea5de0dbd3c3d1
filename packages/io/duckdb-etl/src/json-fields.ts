import type { DuckDBConnection } from '@duckdb/node-api';
import { DUCKDB } from '@streampulse/sql';
import { FIELD_ALIASES, type CanonicalField } from '@streampulse/transform';

// The JSON branch of `recordFieldsSql` (@streampulse/sql), with its one per-row cost moved to
// per key set: which key of a record feeds each field depends only on the record's keys, in
// order, so it is folded (the dialect's own `firstKeyFolding`, regexes per key) once for each
// distinct key list of the file, on one record holding it, and joined back. A generated file
// has a handful of key lists for hundreds of thousands of records.

/**
 * Inserts one JSON records relation (`row_num`, `body`, `malformed`) into `into` in the plan's
 * common shape, as `recordFieldsSql(DUCKDB, { format: 'json', relation }, fileSeq, fields)` does.
 *
 * @example
 * await insertJsonFields(connection, 'records_3', 3, PLAYBACK_FIELDS, 'playback_fields');
 */
export async function insertJsonFields(
  connection: DuckDBConnection,
  relation: string,
  fileSeq: number,
  fields: readonly CanonicalField[],
  into: string,
): Promise<void> {
  const judged = `${relation}_judged`;
  const folded = `${relation}_folded`;
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${judged} AS SELECT row_num, body, malformed, ` +
      `CASE WHEN NOT malformed THEN json_keys(body) END AS keyset FROM (SELECT row_num, body, ` +
      `coalesce(malformed, NOT ${DUCKDB.jsonIsObject('body')}) AS malformed FROM ${relation}) AS j`,
  );
  const keys = fields.map(
    (field) => `${DUCKDB.firstKeyFolding('body', FIELD_ALIASES[field])} AS ${field}_key`,
  );
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${folded} AS SELECT keyset, ${keys.join(', ')} FROM ` +
      `(SELECT keyset, any_value(body) AS body FROM ${judged} WHERE keyset IS NOT NULL GROUP BY keyset) AS sets`,
  );
  // Engines may evaluate JSON functions before a CASE has ruled a record out: malformed bodies
  // never reach them (their key set is NULL, so they join no folded keys).
  const values = fields.flatMap((field) => [
    `CASE WHEN NOT malformed THEN ${DUCKDB.jsonText('body', `${field}_key`)} END AS ${field}_t`,
    `CASE WHEN NOT malformed THEN ${DUCKDB.jsonKind('body', `${field}_key`)} END AS ${field}_k`,
  ]);
  await connection.run(
    `INSERT INTO ${into} SELECT ${fileSeq} AS file_seq, row_num, malformed, ${values.join(', ')} FROM ` +
      `(SELECT j.row_num, j.body, j.malformed, ${fields.map((f) => `k.${f}_key`).join(', ')} ` +
      `FROM ${judged} AS j LEFT JOIN ${folded} AS k ON k.keyset = j.keyset) AS keyed`,
  );
  await connection.run(`DROP TABLE ${judged}`);
  await connection.run(`DROP TABLE ${folded}`);
}
