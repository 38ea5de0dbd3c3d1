import type { AthenaStatement } from '@streampulse/analytics-sql';
import { csvCheck, type GoldenCase, type SmokeCheck } from '@streampulse/acceptance';
import { readObjectBytes, type Lake } from '@streampulse/lake';
import { createLogger, type Logger } from '@streampulse/logging';
import { aggregateParquetCsv } from '@streampulse/local-query';
import { partitionPrefix, PROCESSED_COLUMNS, type AggregateTable } from '@streampulse/schema';
import { backfillAggregates } from './backfill-aggregates.js';
import { AthenaSetupError } from './errors.js';
import { processedParquet } from './parquet.js';

/**
 * The Glue database the smoke run declares its processed tables in (one per case, dropped after).
 *
 * @example
 * `SHOW TABLES IN ${SMOKE_DATABASE}`;
 */
export const SMOKE_DATABASE = 'streampulse_smoke';

/**
 * What {@link runAthenaSmoke} works with: a lake per root (S3), and Athena.
 *
 * @example
 * const deps: AthenaSmokeDeps = { lakeFor: (root) => openLake(root, { env }), run, logger };
 */
export interface AthenaSmokeDeps {
  lakeFor(root: string): Lake;
  /** Runs one statement in Athena to completion and returns its query execution id. */
  run(statement: AthenaStatement): Promise<string>;
  /** Told of each backfilled day, the case's name before the message and as field `case`. */
  logger: Logger;
}

/**
 * What {@link runAthenaSmoke} runs.
 *
 * @example
 * const options: AthenaSmokeOptions = { lakeRoot: 's3://acme-lake', runId: '20250314t203000z', cases: goldenCases() };
 */
export interface AthenaSmokeOptions {
  lakeRoot: string;
  /** Names this run: objects go under `<lakeRoot>/smoke/<runId>/<case>/`. */
  runId: string;
  cases: readonly GoldenCase[];
}

const TABLES: readonly AggregateTable[] = ['daily_engagement', 'daily_active_users'];

function tableName(runId: string, caseName: string): string {
  // Glue table names: lower case letters, digits and underscores.
  return `processed_${runId}_${caseName}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

function processedTableSql(table: string, location: string): string {
  const columns = PROCESSED_COLUMNS.map((c) => `  \`${c.name}\` ${c.athena}`).join(',\n');
  return `CREATE EXTERNAL TABLE ${table} (\n${columns}\n)\nSTORED AS PARQUET\nLOCATION '${location}'`;
}

/** A day's aggregate as the contract's CSV, from every object Athena wrote; undefined when none. */
async function unloadedCsv(lake: Lake, key: string, table: AggregateTable): Promise<string | undefined> {
  const files: Buffer[] = [];
  for await (const object of lake.list(key)) files.push(await readObjectBytes(lake, object.key));
  // UNLOAD's files are each sorted but not ordered among themselves.
  return files.length === 0 ? undefined : aggregateParquetCsv(files, table, { sortByGroups: true });
}

async function smokeCase(deps: AthenaSmokeDeps, options: AthenaSmokeOptions, goldenCase: GoldenCase) {
  const root = `${options.lakeRoot.replace(/\/+$/, '')}/smoke/${options.runId}/${goldenCase.name}`;
  const lake = deps.lakeFor(root);
  await lake.write('processed/processed_data.parquet', await processedParquet(goldenCase.processedCsv));
  const table = `${SMOKE_DATABASE}.${tableName(options.runId, goldenCase.name)}`;
  const checks: SmokeCheck[] = [];
  await deps.run({
    name: `${goldenCase.name}: table ${table}`,
    inDatabase: false,
    sql: processedTableSql(table, `${root}/processed/`),
  });
  try {
    try {
      await backfillAggregates({
        lake,
        lakeRoot: root,
        processedTable: table,
        days: goldenCase.days,
        run: (statement) => deps.run(statement),
        logger: forCase(deps.logger, goldenCase.name),
      });
    } catch (error) {
      if (!(error instanceof AthenaSetupError)) throw error;
      checks.push({ case: goldenCase.name, check: 'backfill-aggregates', ok: false, detail: error.message });
    }
    for (const day of goldenCase.days) {
      for (const aggregate of TABLES) {
        const want =
          aggregate === 'daily_engagement' ? goldenCase.engagementCsv(day) : goldenCase.activeUsersCsv(day);
        checks.push(
          csvCheck(
            goldenCase.name,
            `${aggregate} ${day}`,
            want,
            await unloadedCsv(lake, partitionPrefix(aggregate, day), aggregate),
          ),
        );
      }
    }
  } finally {
    await deps.run({
      name: `${goldenCase.name}: drop ${table}`,
      inDatabase: false,
      sql: `DROP TABLE IF EXISTS ${table}`,
    });
  }
  return checks;
}

/**
 * Proves the Athena (Trino) rendering of the aggregation on golden cases, in an AWS account: per
 * case, the expected processed rows go to S3 as Parquet under a fresh smoke prefix, an external
 * table is declared over them in {@link SMOKE_DATABASE}, every expected day is backfilled with
 * `backfill-aggregates`' own UNLOADs, and what Athena wrote is compared with the case's expected
 * aggregate files. The table is dropped afterwards; the objects stay under `smoke/<runId>/`.
 *
 * @example
 * const checks = await runAthenaSmoke(deps, { lakeRoot: 's3://acme-lake', runId, cases: goldenCases() });
 * process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
 */
export async function runAthenaSmoke(
  deps: AthenaSmokeDeps,
  options: AthenaSmokeOptions,
): Promise<SmokeCheck[]> {
  await deps.run({
    name: `database ${SMOKE_DATABASE}`,
    inDatabase: false,
    sql: `CREATE DATABASE IF NOT EXISTS ${SMOKE_DATABASE}`,
  });
  const checks: SmokeCheck[] = [];
  for (const goldenCase of options.cases) checks.push(...(await smokeCase(deps, options, goldenCase)));
  return checks;
}

/** Entries about one case: its name leads the message (as glue-launcher's smoke prints) and is a field. */
function forCase(logger: Logger, name: string): Logger {
  const methods = { DEBUG: logger.debug, INFO: logger.info, WARN: logger.warn, ERROR: logger.error };
  return createLogger(({ level, message, fields }) =>
    methods[level].call(logger, `${name}: ${message}`, { ...fields, case: name }),
  );
}
