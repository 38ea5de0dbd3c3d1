import { AGGREGATE_TABLES, type AggregateTable, type ColumnSpec } from '@streampulse/schema';
import { createViewSql, DASHBOARD_VIEWS } from './dashboard-views.js';
import { AnalyticsSqlError } from './errors.js';
import { AGGREGATE_COLUMNS, PARTITION_COLUMNS, type AggregateFileFormat } from './tables.js';

/**
 * The Glue/Athena database every table and view lives in.
 *
 * @example
 * `SELECT * FROM ${ATHENA_DATABASE}.daily_engagement`;
 */
export const ATHENA_DATABASE = 'streampulse';

/**
 * Options of {@link athenaStatements}.
 *
 * @example
 * const options: AthenaDdlOptions = { bucket: 'acme-lake', prefix: 'prod', format: 'csv' };
 */
export interface AthenaDdlOptions {
  /** Bucket of the lake. */
  bucket: string;
  /** Key prefix of the lake root inside the bucket, without leading or trailing `/` ('' for the bucket root). */
  prefix?: string;
  /** Format the aggregation job writes (default parquet). */
  format?: AggregateFileFormat;
  /**
   * Years partition projection covers (default 2020-2035). Athena lists every projected
   * partition an unfiltered query could touch, so a narrow range keeps such queries quick.
   */
  years?: { first: number; last: number };
}

/**
 * One statement to run in Athena.
 *
 * @example
 * const statement: AthenaStatement = { name: 'database streampulse', inDatabase: false, sql: 'CREATE DATABASE IF NOT EXISTS streampulse' };
 */
export interface AthenaStatement {
  /** What it creates, e.g. `table daily_engagement`. */
  readonly name: string;
  /** False only for CREATE DATABASE, which must run before the database exists. */
  readonly inDatabase: boolean;
  readonly sql: string;
}

const DEFAULT_YEARS = { first: 2020, last: 2035 } as const;
const TABLES = Object.keys(AGGREGATE_TABLES) as AggregateTable[];

// Suffix of the raw CSV tables; the contract's names go to typed views over them.
const CSV_RAW_SUFFIX = '_csv';

function lakeLocation(bucket: string, prefix: string): string {
  // Hive DDL reads backslash escapes inside literals; refusing the few characters that would need
  // one keeps every generated literal plain.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(bucket)) {
    throw new AnalyticsSqlError(
      'invalid_location',
      `bucket ${JSON.stringify(bucket)} is not an S3 bucket name`,
    );
  }
  if (/['\\\s]/.test(prefix) || prefix.startsWith('/') || prefix.endsWith('/')) {
    throw new AnalyticsSqlError(
      'invalid_location',
      `lake prefix ${JSON.stringify(prefix)} must have no quote, backslash, space or leading/trailing /`,
    );
  }
  return `s3://${bucket}/${prefix === '' ? '' : `${prefix}/`}`;
}

function checkYears(years: { first: number; last: number }): void {
  const ok = (y: number) => Number.isInteger(y) && y >= 1000 && y <= 9999;
  if (!ok(years.first) || !ok(years.last) || years.first > years.last) {
    throw new AnalyticsSqlError(
      'invalid_years',
      `years ${years.first}-${years.last} must be four-digit years, the first not after the last`,
    );
  }
}

function columnList(columns: readonly ColumnSpec[], typeOf: (c: ColumnSpec) => string): string {
  return columns.map((c) => `  \`${c.name}\` ${typeOf(c)}`).join(',\n');
}

function projectionProperties(location: string, years: { first: number; last: number }): string[] {
  return [
    `'projection.enabled' = 'true'`,
    `'projection.year.type' = 'integer'`,
    `'projection.year.range' = '${years.first},${years.last}'`,
    `'projection.month.type' = 'integer'`,
    `'projection.month.range' = '1,12'`,
    `'projection.month.digits' = '2'`,
    `'projection.day.type' = 'integer'`,
    `'projection.day.range' = '1,31'`,
    `'projection.day.digits' = '2'`,
    `'storage.location.template' = '${location}year=\${year}/month=\${month}/day=\${day}/'`,
  ];
}

function externalTable(
  name: string,
  columns: string,
  storage: string,
  location: string,
  properties: string[],
): string {
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${ATHENA_DATABASE}.${name} (`,
    columns,
    ')',
    `PARTITIONED BY (${PARTITION_COLUMNS.map((p) => `\`${p}\` int`).join(', ')})`,
    storage,
    `LOCATION '${location}'`,
    'TBLPROPERTIES (',
    properties.map((p) => `  ${p}`).join(',\n'),
    ')',
  ].join('\n');
}

function parquetTable(table: AggregateTable, location: string, years: { first: number; last: number }) {
  return externalTable(
    table,
    columnList(AGGREGATE_COLUMNS[table], (c) => c.athena),
    'STORED AS PARQUET',
    location,
    [...projectionProperties(location, years), `'parquet.compression' = 'SNAPPY'`],
  );
}

// OpenCSVSerde, because titles hold commas and quotes (RFC 4180 quoting); it reads DATE only as
// a day count, so date columns are declared string here and cast back in the typed view.
const rawCsvType = (c: ColumnSpec): string => (c.athena === 'date' ? 'string' : c.athena);

function csvRawTable(table: AggregateTable, location: string, years: { first: number; last: number }) {
  return externalTable(
    `${table}${CSV_RAW_SUFFIX}`,
    columnList(AGGREGATE_COLUMNS[table], rawCsvType),
    [
      `ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'`,
      `WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\\\')`,
      'STORED AS TEXTFILE',
    ].join('\n'),
    location,
    [`'skip.header.line.count' = '1'`, ...projectionProperties(location, years)],
  );
}

function csvTypedView(table: AggregateTable): string {
  const columns = AGGREGATE_COLUMNS[table].map((c) =>
    rawCsvType(c) === c.athena ? c.name : `CAST(${c.name} AS ${c.athena.toUpperCase()}) AS ${c.name}`,
  );
  return [
    `CREATE OR REPLACE VIEW ${ATHENA_DATABASE}.${table} AS`,
    `SELECT ${[...columns, ...PARTITION_COLUMNS].join(', ')}`,
    `FROM ${ATHENA_DATABASE}.${table}${CSV_RAW_SUFFIX}`,
  ].join('\n');
}

/**
 * Every statement that declares StreamPulse in Athena, in the order to run them: the database,
 * `daily_engagement` and `daily_active_users` over the lake's analytics prefixes (partitioned by
 * integer year/month/day through partition projection, so no crawler or MSCK REPAIR is ever
 * needed), and the seven dashboard views. For CSV the tables are OpenCSVSerde tables named
 * `<table>_csv`, and `daily_engagement`/`daily_active_users` are views over them with the same
 * columns and types as the Parquet tables. Idempotent: run it again after any change.
 *
 * @example
 * for (const statement of athenaStatements({ bucket: 'acme-lake', prefix: 'prod' })) {
 *   await athena.run(statement.sql, statement.inDatabase ? 'streampulse' : undefined);
 * }
 */
export function athenaStatements(options: AthenaDdlOptions): AthenaStatement[] {
  const format = options.format ?? 'parquet';
  const years = options.years ?? DEFAULT_YEARS;
  checkYears(years);
  const root = lakeLocation(options.bucket, options.prefix ?? '');
  const statements: AthenaStatement[] = [
    {
      name: `database ${ATHENA_DATABASE}`,
      inDatabase: false,
      sql: `CREATE DATABASE IF NOT EXISTS ${ATHENA_DATABASE}`,
    },
  ];
  for (const table of TABLES) {
    const location = `${root}${AGGREGATE_TABLES[table]}`;
    if (format === 'parquet') {
      statements.push({
        name: `table ${table}`,
        inDatabase: true,
        sql: parquetTable(table, location, years),
      });
    } else {
      statements.push(
        {
          name: `table ${table}${CSV_RAW_SUFFIX}`,
          inDatabase: true,
          sql: csvRawTable(table, location, years),
        },
        { name: `view ${table}`, inDatabase: true, sql: csvTypedView(table) },
      );
    }
  }
  for (const view of DASHBOARD_VIEWS) {
    statements.push({
      name: `view ${view.name}`,
      inDatabase: true,
      sql: createViewSql(view, ATHENA_DATABASE),
    });
  }
  return statements;
}

/**
 * Statements as one script to paste into the Athena console: each ends with `;` and a blank line.
 *
 * @example
 * process.stdout.write(athenaScript(athenaStatements({ bucket: 'acme-lake' })));
 */
export function athenaScript(statements: readonly AthenaStatement[]): string {
  return statements.map((s) => `-- ${s.name}\n${s.sql};\n`).join('\n');
}
