// Athena's DDL is Hive's (`CREATE EXTERNAL TABLE … PARTITIONED BY … STORED AS … LOCATION …
// TBLPROPERTIES`), which Trino's own SQL does not accept. These helpers read the rendered
// statement and declare the same table in Trino's Hive connector: the same column names and types
// in the same order, the same partition columns. Partition projection (`projection.*`,
// `storage.location.template`) is Athena's own; its rendering is held by the snapshot tests of
// `@streampulse/analytics-sql`, and here partitions are registered from the folders instead.

/**
 * A column of a rendered Athena table: name and Hive DDL type, e.g. `{ name: 'year', type: 'int' }`.
 *
 * @example
 * const column: HiveColumn = { name: 'title', type: 'string' };
 */
export interface HiveColumn {
  readonly name: string;
  readonly type: string;
}

/**
 * What a rendered `CREATE EXTERNAL TABLE` declares.
 *
 * @example
 * parseAthenaTable(statement.sql).columns.map((c) => c.name);
 */
export interface AthenaTable {
  /** As written, e.g. `streampulse.daily_engagement`. */
  readonly name: string;
  readonly columns: readonly HiveColumn[];
  readonly partitions: readonly HiveColumn[];
  /** `STORED AS` format, e.g. `PARQUET`. */
  readonly format: string;
  readonly location: string;
}

function columnsOf(list: string, what: string): HiveColumn[] {
  return list.split(',').map((item) => {
    const match = /^\s*`([A-Za-z_][A-Za-z0-9_]*)`\s+([a-z]+(?:\(\d+,\s*\d+\))?)\s*$/.exec(item);
    if (!match) throw new Error(`cannot read ${what} column ${JSON.stringify(item)}`);
    return { name: match[1] as string, type: match[2] as string };
  });
}

/**
 * Reads a rendered Athena `CREATE EXTERNAL TABLE` statement (one column per line, as
 * `athenaStatements` writes it); throws on any other shape rather than guess.
 *
 * @example
 * const table = parseAthenaTable(athenaStatements({ bucket: 'lake' })[1].sql);
 */
export function parseAthenaTable(sql: string): AthenaTable {
  const match =
    /^CREATE EXTERNAL TABLE IF NOT EXISTS (\S+) \(\n([\s\S]*?)\n\)\nPARTITIONED BY \(([^)]*)\)\nSTORED AS (\w+)\nLOCATION '([^']*)'\nTBLPROPERTIES \(/.exec(
      sql,
    );
  if (!match) throw new Error(`not a Parquet CREATE EXTERNAL TABLE as rendered for Athena:\n${sql}`);
  const [, name, columns, partitions, format, location] = match as unknown as string[];
  return {
    name: name as string,
    columns: columnsOf(columns as string, 'data'),
    partitions: columnsOf(partitions as string, 'partition'),
    format: format as string,
    location: location as string,
  };
}

// Hive DDL names two types differently from Trino's SQL; every other type the tables use
// (date, bigint, double, timestamp, decimal(p,s)) is spelled the same in both.
const TRINO_SPELLING: Readonly<Record<string, string>> = { string: 'varchar', int: 'integer' };

/**
 * The Trino type a Hive DDL type declares.
 *
 * @example
 * trinoType('string'); // 'varchar'
 */
export function trinoType(hiveType: string): string {
  return TRINO_SPELLING[hiveType] ?? hiveType;
}

/**
 * Trino's statement for the same external table in the Hive connector, over `externalLocation`.
 *
 * @example
 * await trino.query(trinoTableSql(parseAthenaTable(sql), 'local:///basic/analytics/daily_aggregates'));
 */
export function trinoTableSql(table: AthenaTable, externalLocation: string): string {
  const columns = [...table.columns, ...table.partitions].map((c) => `  ${c.name} ${trinoType(c.type)}`);
  const partitions = table.partitions.map((p) => `'${p.name}'`).join(', ');
  return [
    `CREATE TABLE ${table.name} (`,
    columns.join(',\n'),
    `) WITH (format = '${table.format}', external_location = '${externalLocation}', partitioned_by = ARRAY[${partitions}])`,
  ].join('\n');
}

/**
 * The parts of an Athena `UNLOAD (<select>) TO '<location>' WITH (<properties>)`.
 *
 * @example
 * const { select } = unloadParts(unload.sql);
 */
export interface UnloadParts {
  readonly select: string;
  readonly location: string;
  readonly properties: string;
}

/**
 * Splits a rendered UNLOAD into its SELECT, target and properties; throws on any other shape.
 *
 * @example
 * unloadParts("UNLOAD (SELECT 1 AS n) TO 's3://b/k/' WITH (format = 'PARQUET')").select; // 'SELECT 1 AS n'
 */
export function unloadParts(sql: string): UnloadParts {
  const match = /^UNLOAD \((SELECT [\s\S]*)\) TO '([^']*)' WITH \(([^()]*)\)$/.exec(sql);
  if (!match) throw new Error(`not an UNLOAD (SELECT …) TO '…' WITH (…):\n${sql}`);
  const [, select, location, properties] = match as unknown as string[];
  return { select: select as string, location: location as string, properties: properties as string };
}

/**
 * A statement of a printed Athena script: its name (the `-- ` line above it) and its SQL.
 *
 * @example
 * const statement: ScriptStatement = { name: 'view daily_unique_viewers', sql: 'CREATE OR REPLACE VIEW ...' };
 */
export interface ScriptStatement {
  readonly name: string;
  readonly sql: string;
}

/**
 * Splits what `athena-setup print` writes (each statement under a `-- name` line, ended by `;`)
 * back into its statements, so a test runs the printed text itself.
 *
 * @example
 * splitAthenaScript('-- database streampulse\nCREATE DATABASE IF NOT EXISTS streampulse;\n');
 * // [{ name: 'database streampulse', sql: 'CREATE DATABASE IF NOT EXISTS streampulse' }]
 */
export function splitAthenaScript(script: string): ScriptStatement[] {
  return script
    .split(/^-- /m)
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const match = /^(.+)\n([\s\S]+?);\s*$/.exec(part);
      if (!match) throw new Error(`cannot read the printed statement ${JSON.stringify(part.slice(0, 80))}`);
      return { name: match[1] as string, sql: match[2] as string };
    });
}
