import { partitionPrefix, type AggregateTable } from '@streampulse/schema';
import { compileAggregateSql } from './aggregate-sql.js';
import { TRINO } from './dialects/trino.js';
import { SqlPlanError } from './errors.js';
import { typedAggregateTables } from './job-plan.js';

// Athena writes a day's aggregates with UNLOAD into the exact prefix the aggregation job writes
// (the tables read it through partition projection). UNLOAD refuses a prefix that holds objects,
// so whoever runs these statements clears the day's prefixes first; that also makes a rerun
// replace the day rather than add to it.

/**
 * What {@link compileAthenaAggregateUnloads} compiles.
 *
 * @example
 * const options: AthenaUnloadOptions = {
 *   lakeRoot: 's3://acme-lake/prod',
 *   processedTable: '"pg"."processed"."processed_data"',
 *   days: ['2025-03-14'],
 * };
 */
export interface AthenaUnloadOptions {
  /** The lake root, `s3://bucket[/prefix]`. */
  readonly lakeRoot: string;
  /**
   * The processed rows as Athena sees them, e.g. the warehouse's table through a federated
   * PostgreSQL catalog: `catalog.schema.table`, each part a plain name or double-quoted.
   */
  readonly processedTable: string;
  /** Days as YYYY-MM-DD. */
  readonly days: readonly string[];
}

/**
 * One UNLOAD: a table's rows for one day, written as Parquet into that day's partition.
 *
 * @example
 * const unload: AthenaUnload = { day: '2025-03-14', table: 'daily_engagement', key: 'analytics/daily_aggregates/year=2025/month=03/day=14/', sql: 'UNLOAD (...)' };
 */
export interface AthenaUnload {
  readonly day: string;
  readonly table: AggregateTable;
  /** The partition's key prefix under the lake root; it must hold no object when the UNLOAD runs. */
  readonly key: string;
  readonly sql: string;
}

const NAME_PART = String.raw`(?:[A-Za-z_][A-Za-z0-9_]*|"[^"\x00-\x1f]+")`;
const TABLE_NAME = new RegExp(`^${NAME_PART}(?:\\.${NAME_PART}){0,2}$`);

function checkedRoot(lakeRoot: string): string {
  // The root lands inside a SQL string literal; refusing quotes and backslashes keeps it plain.
  if (!/^s3:\/\/[A-Za-z0-9][A-Za-z0-9._-]*(\/[^'\\\s]*)?$/.test(lakeRoot)) {
    throw new SqlPlanError(
      'invalid_input',
      `lake root ${JSON.stringify(lakeRoot)} must be s3://bucket[/prefix] without quotes, backslashes or spaces`,
    );
  }
  return lakeRoot.replace(/\/+$/, '');
}

/**
 * Compiles the aggregation for Athena: per day, `daily_engagement` then `daily_active_users`, each
 * an `UNLOAD (...) TO '<day's partition>' WITH (format = 'PARQUET', compression = 'SNAPPY')` over
 * the same compiled aggregation the other engines run (Trino dialect), with the columns typed as
 * the Athena tables declare them.
 *
 * @example
 * for (const unload of compileAthenaAggregateUnloads({ lakeRoot: 's3://acme-lake', processedTable: 'pg.processed.processed_data', days: ['2025-03-14'] })) {
 *   await clearPrefix(unload.key);
 *   await athena.run(unload.sql);
 * }
 */
export function compileAthenaAggregateUnloads(options: AthenaUnloadOptions): AthenaUnload[] {
  const root = checkedRoot(options.lakeRoot);
  if (!TABLE_NAME.test(options.processedTable)) {
    throw new SqlPlanError(
      'invalid_input',
      `processed table ${JSON.stringify(options.processedTable)} must be [catalog.][schema.]table, each part a plain name or "quoted"`,
    );
  }
  return options.days.flatMap((day) => {
    const sql = compileAggregateSql(TRINO, { source: options.processedTable, day });
    return typedAggregateTables(sql).map(([table, select]) => {
      const key = partitionPrefix(table, day);
      return {
        day,
        table,
        key,
        sql: `UNLOAD (${select}) TO '${root}/${key}' WITH (format = 'PARQUET', compression = 'SNAPPY')`,
      };
    });
  });
}
