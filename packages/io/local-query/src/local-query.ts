import { rm } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  ATHENA_FUNCTION_MACROS,
  createViewSql,
  DASHBOARD_VIEWS,
  localTableSql,
  partitionGlob,
  type LocalTableSources,
} from '@streampulse/analytics-sql';
import type { Lake } from '@streampulse/lake';
import { sqlString } from '@streampulse/contract-sql';
import { AGGREGATE_TABLES, type AggregateTable } from '@streampulse/schema';
import { LocalQueryError } from './errors.js';
import { resultRows } from './result-rows.js';
import { messageOf } from '@streampulse/errors';

/**
 * What {@link openLocalQuery} needs.
 *
 * @example
 * const options: LocalQueryOptions = { lake: openLake('s3://acme-lake/prod'), scratchDir: '/tmp/streampulse' };
 */
export interface LocalQueryOptions {
  /** A local or S3 lake; its aggregate prefixes are read where they are, or downloaded first. */
  lake: Lake;
  /** Where an S3 lake's aggregates are downloaded to; removed again by `close()`. */
  scratchDir: string;
}

/**
 * A query's answer: column names and rows of JSON-ready values (see `resultRows`).
 *
 * @example
 * const answer: QueryResult = { columns: ['title', 'total_watch_hours'], rows: [['Title 0001', 24]] };
 */
export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

/**
 * SQL over a lake's `daily_engagement`, `daily_active_users` and the dashboard views.
 *
 * @example
 * const { rows } = await local.query('SELECT * FROM daily_unique_viewers WHERE year = 2025');
 */
export interface LocalQuery {
  /**
   * Runs one DuckDB SQL statement (a trailing `;` is fine) with Athena's `date_format`,
   * `format_datetime` and `approx_distinct` available; a bad one, or several, rejects with
   * `LocalQueryError` `sql_error` carrying DuckDB's whole message.
   */
  query(sql: string): Promise<QueryResult>;
  /** Closes DuckDB and removes what was downloaded into the scratch folder. */
  close(): Promise<void>;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? text;
}

async function hasFiles(connection: DuckDBConnection, glob: string): Promise<boolean> {
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM glob(${sqlString(glob)})`);
  return Number(reader.getRowsJson()[0]?.[0] ?? 0) > 0;
}

async function declareTables(connection: DuckDBConnection, lake: Lake, scratchDir: string, owned: string[]) {
  const scratch = resolve(scratchDir) + sep;
  for (const macro of ATHENA_FUNCTION_MACROS) await connection.run(macro);
  for (const table of Object.keys(AGGREGATE_TABLES) as AggregateTable[]) {
    // DuckDB here has no S3 access (no httpfs): an S3 lake's objects are downloaded first.
    const folder = await lake.materialize(AGGREGATE_TABLES[table], scratchDir);
    if (resolve(folder).startsWith(scratch)) owned.push(folder);
    const sources: LocalTableSources = {};
    const parquetGlob = partitionGlob(folder, 'parquet');
    const csvGlob = partitionGlob(folder, 'csv');
    if (await hasFiles(connection, parquetGlob)) sources.parquetGlob = parquetGlob;
    if (await hasFiles(connection, csvGlob)) sources.csvGlob = csvGlob;
    await connection.run(localTableSql(table, sources));
  }
  for (const view of DASHBOARD_VIEWS) await connection.run(createViewSql(view));
}

/**
 * Opens DuckDB (in memory) over a lake's daily aggregates: `daily_engagement` and
 * `daily_active_users` with the same columns and types as in Athena (year, month and day as
 * integers), reading Parquet and CSV objects alike, plus the seven dashboard views from the same
 * SQL text Athena runs. A lake without aggregates yet answers with zero rows. Objects written
 * after opening are seen only in a format the table already had when it was opened.
 *
 * @example
 * const local = await openLocalQuery({ lake: openLake('./lake'), scratchDir: '.streampulse/scratch' });
 * try {
 *   const { columns, rows } = await local.query(
 *     'SELECT title, total_watch_hours, unique_viewers FROM daily_engagement ORDER BY total_watch_hours DESC LIMIT 10;',
 *   );
 * } finally {
 *   await local.close();
 * }
 */
export async function openLocalQuery(options: LocalQueryOptions): Promise<LocalQuery> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const owned: string[] = [];
  const close = async (): Promise<void> => {
    connection.closeSync();
    instance.closeSync();
    await Promise.all(owned.map((folder) => rm(folder, { recursive: true, force: true })));
  };
  try {
    await declareTables(connection, options.lake, options.scratchDir, owned);
  } catch (error) {
    await close();
    const message = `cannot open the aggregates of lake ${options.lake.root}: ${firstLine(messageOf(error))}`;
    throw new LocalQueryError('open_failed', message, messageOf(error), { cause: error });
  }
  return {
    async query(sql) {
      let statements: number;
      try {
        statements = (await connection.extractStatements(sql)).count;
      } catch (error) {
        throw new LocalQueryError('sql_error', messageOf(error).trim(), messageOf(error), { cause: error });
      }
      if (statements > 1) {
        const message = `give one SQL statement at a time; this text holds ${statements}`;
        throw new LocalQueryError('sql_error', message, message);
      }
      try {
        const reader = await connection.runAndReadAll(sql);
        return { columns: reader.columnNames(), rows: resultRows(reader) };
      } catch (error) {
        // DuckDB's whole message: its later lines carry the hint ("Did you mean ...") and the caret.
        throw new LocalQueryError('sql_error', messageOf(error).trim(), messageOf(error), { cause: error });
      }
    },
    close,
  };
}
