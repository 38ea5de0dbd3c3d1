import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGGREGATE_COLUMNS, ATHENA_DATABASE, SAMPLE_QUERY } from '@streampulse/analytics-sql';
import { main, processedParquet } from '@streampulse/athena-setup';
import { csvCheck, type SmokeCheck } from '@streampulse/golden';
import { openLake } from '@streampulse/lake';
import { aggregateParquetCsv, openLocalQuery, type LocalQuery } from '@streampulse/local-query';
import { PROCESSED_COLUMNS, type AggregateTable } from '@streampulse/schema';
import { compileAthenaAggregateUnloads } from '@streampulse/contract-sql';
import { captured, createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  parseAthenaTable,
  splitAthenaScript,
  trinoClient,
  trinoTableSql,
  trinoType,
  unloadParts,
  type HiveColumn,
  type ScriptStatement,
  type TrinoResult,
} from '../../src/index.js';

// Everything the project sends to Athena, run on the Trino release Athena engine 3 is built on,
// over a lake's aggregates as the project's own ETL and aggregation jobs write them, and compared
// with DuckDB's answer to the same SQL over the same files (the local engine of `streampulse
// query`). The statements are what `athena-setup print` prints. The tables are declared from
// their DDL (see src/athena-ddl.ts: partition projection is Athena's own and held by snapshot
// tests, here partitions are registered from the folders); the views and the sample query run
// verbatim; the backfill's UNLOADs run as the same SELECT, written to Parquet by Trino.

/**
 * A lake the suite runs over, prepared in its folder by the project's own jobs.
 *
 * @example
 * describeAthenaSqlOnTrino('golden case basic', { name: 'basic', prepare });
 */
export interface LakeUnderTest {
  /** Folder name under the catalog's root: lower-case letters, digits, `_` or `-`. */
  readonly name: string;
  /**
   * Writes the lake into `lakeDir` and aggregates it as Parquet (the database is the case's own),
   * then says which days to backfill, the processed rows the backfill reads, as the contract's
   * CSV, and the expected CSV of a table's day.
   */
  prepare(lakeDir: string, db: TestDatabase): Promise<PreparedLake>;
}

/**
 * What {@link LakeUnderTest.prepare} gives back.
 *
 * @example
 * const prepared: PreparedLake = { days: ['2025-03-14'], processedCsv, expected: async (table, day) => csv };
 */
export interface PreparedLake {
  readonly days: readonly string[];
  readonly processedCsv: string;
  expected(table: AggregateTable, day: string): Promise<string>;
}

const BUCKET = 'streampulse-trino-test';

/** The statements exactly as `athena-setup print` writes them for a lake at the bucket's root. */
async function printedStatements(): Promise<ScriptStatement[]> {
  const stdout = captured();
  const stderr = captured();
  const status = await main(['print', '--lake', `s3://${BUCKET}`], { stdout, stderr });
  if (status !== 0) throw new Error(`athena-setup print failed: ${stderr.text()}`);
  return splitAthenaScript(stdout.text());
}

const statements = await printedStatements();
const tableStatements = statements.filter((s) => s.name.startsWith('table '));
const viewStatements = statements.filter((s) => s.name.startsWith('view '));
const viewNames = viewStatements.map((s) => s.name.replace(/^view /, ''));

/** The data columns the printed DDL declares for a table (partition columns aside). */
function declaredColumns(table: AggregateTable): readonly HiveColumn[] {
  const statement = tableStatements.find((s) => s.name === `table ${table}`);
  if (!statement) throw new Error(`athena-setup print declares no table ${table}`);
  return parseAthenaTable(statement.sql).columns;
}
const TABLES = Object.keys(AGGREGATE_COLUMNS) as AggregateTable[];

/** An S3 location under the rendered lake root as the catalog sees it: `s3://bucket/x/` -> `local:///lake/x`. */
function localLocation(lakeName: string, s3Location: string): string {
  const key = s3Location.replace(`s3://${BUCKET}/`, '').replace(/\/+$/, '');
  return `local:///${lakeName}/${key}`;
}

// Types compared as a dashboard sees them: DuckDB's SUM of a BIGINT is a HUGEINT where Trino's is
// a BIGINT, both whole numbers; a decimal, a double, a date or a text column must stay what it is.
function typeFamily(type: string): string {
  const t = type.toLowerCase().replace(/\s+/g, '');
  if (/^(tinyint|smallint|integer|int|bigint|hugeint)$/.test(t)) return 'integer';
  if (/^(double|real|float)$/.test(t)) return 'floating point';
  if (t.startsWith('varchar')) return 'varchar';
  return t;
}

// A `;` ends a statement for a client (Athena's console, the Trino CLI); it is not part of the
// statement, and Trino's REST API refuses it.
const withoutTerminator = (sql: string): string => sql.replace(/;\s*$/, '');

const byText = (rows: unknown[][]): unknown[][] =>
  rows
    .map((row) => [JSON.stringify(row), row] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);

/**
 * The suite for one lake: tables, the dashboard views, the sample query and the backfill's
 * statements on Trino, each against DuckDB or the lake's expected aggregates.
 *
 * @example
 * describeAthenaSqlOnTrino('golden case fixtures/basic', lakeOfGoldenCase(golden));
 */
export function describeAthenaSqlOnTrino(label: string, subject: LakeUnderTest): void {
  describe(`Athena SQL on Trino over ${label}`, () => {
    const server = inject('trino');
    const trino = trinoClient({ url: server.url, catalog: 'hive', schema: ATHENA_DATABASE });
    const lakeDir = join(server.root, subject.name);
    let db: TestDatabase;
    let local: LocalQuery;
    let scratch: string;
    let prepared: PreparedLake;

    /** Runs `sql` on both engines, checks the columns and their types agree, and gives both answers. */
    async function bothEngines(sql: string): Promise<{ trino: TrinoResult; duckdb: unknown[][] }> {
      const [fromTrino, fromDuckDb] = await Promise.all([
        trino.query(withoutTerminator(sql)),
        local.query(sql),
      ]);
      expect(fromTrino.columns.map((c) => c.name)).toEqual(fromDuckDb.columns);
      const described = await local.query(`DESCRIBE ${withoutTerminator(sql)}`);
      const typeAt = described.columns.indexOf('column_type');
      expect(fromTrino.columns.map((c) => typeFamily(c.type))).toEqual(
        described.rows.map((row) => typeFamily(String(row[typeAt]))),
      );
      expect(fromTrino.rows.length).toBeGreaterThan(0);
      return { trino: fromTrino, duckdb: fromDuckDb.rows };
    }

    beforeAll(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'streampulse-trino-scratch-'));
      db = await createTestDatabase(`trino_${subject.name}`);
      prepared = await subject.prepare(lakeDir, db);
      local = await openLocalQuery({ lake: openLake(lakeDir), scratchDir: scratch });

      // The backfill's input, as `athena-setup smoke` declares it: the processed rows as Parquet.
      await mkdir(join(lakeDir, 'processed'));
      await writeFile(
        join(lakeDir, 'processed', 'part-0.parquet'),
        await processedParquet(prepared.processedCsv),
      );

      await trino.query(`CREATE SCHEMA hive.${ATHENA_DATABASE}`);
      for (const statement of tableStatements) {
        const table = parseAthenaTable(statement.sql);
        await trino.query(trinoTableSql(table, localLocation(subject.name, table.location)));
        const name = table.name.split('.').pop() as string;
        await trino.query(`CALL system.sync_partition_metadata('${ATHENA_DATABASE}', '${name}', 'FULL')`);
      }
      const processed = PROCESSED_COLUMNS.map((c) => `${c.name} ${trinoType(c.athena)}`).join(', ');
      await trino.query(
        `CREATE TABLE processed_data (${processed}) ` +
          `WITH (format = 'PARQUET', external_location = 'local:///${subject.name}/processed')`,
      );
      for (const view of viewStatements) await trino.query(view.sql);
    });

    afterAll(async () => {
      // External tables: dropping them leaves the files, which go with the lake folder.
      for (const view of viewNames) await trino.query(`DROP VIEW IF EXISTS ${view}`);
      for (const table of [...TABLES, 'processed_data']) await trino.query(`DROP TABLE IF EXISTS ${table}`);
      await trino.query(`DROP SCHEMA IF EXISTS hive.${ATHENA_DATABASE}`);
      await local?.close();
      await db?.drop();
      await stopTestServer();
      await rm(lakeDir, { recursive: true, force: true });
      await rm(scratch, { recursive: true, force: true });
    });

    it.each(tableStatements.map((s) => [s.name.replace(/^table /, ''), s.sql]))(
      'declares %s with the Athena DDL columns and reads the same rows as DuckDB',
      async (name, sql) => {
        const table = parseAthenaTable(sql);
        const described = await trino.query(`DESCRIBE ${name}`);
        expect(described.rows.map((row) => [row[0], row[1]])).toEqual(
          [...table.columns, ...table.partitions].map((c) => [c.name, trinoType(c.type)]),
        );
        const { trino: fromTrino, duckdb } = await bothEngines(`SELECT * FROM ${name}`);
        expect(byText(fromTrino.rows)).toEqual(byText(duckdb));
      },
    );

    it.each(viewNames.map((name) => [name]))('returns the same rows as DuckDB for view %s', async (name) => {
      const { trino: fromTrino, duckdb } = await bothEngines(`SELECT * FROM ${name}`);
      expect(byText(fromTrino.rows)).toEqual(byText(duckdb));
    });

    it("returns the same rows as DuckDB for the contract's sample query, ties aside", async () => {
      const { trino: fromTrino, duckdb } = await bothEngines(SAMPLE_QUERY);
      const hours = (rows: unknown[][]): unknown[] => rows.map((row) => row[1]);
      expect(hours(fromTrino.rows)).toEqual(hours(duckdb));
      // ORDER BY total_watch_hours leaves titles with equal hours in no order, and LIMIT may cut
      // among them (Trino and DuckDB do list such titles differently): rows above the last
      // value must be the same; at the cut, each of Trino's rows must be one of the tied rows.
      const cut = hours(duckdb).at(-1);
      const above = (rows: unknown[][]) => byText(rows.filter((row) => row[1] !== cut));
      expect(above(fromTrino.rows)).toEqual(above(duckdb));
      const unlimited = withoutTerminator(SAMPLE_QUERY).replace(/\s+LIMIT \d+$/, '');
      const tied = (await local.query(unlimited)).rows.filter((row) => row[1] === cut);
      for (const row of fromTrino.rows.filter((r) => r[1] === cut)) {
        const at = tied.findIndex((candidate) => JSON.stringify(candidate) === JSON.stringify(row));
        expect(at, JSON.stringify(row)).toBeGreaterThanOrEqual(0);
        tied.splice(at, 1);
      }
    });

    it("writes every day's expected aggregates with backfill-aggregates' statements", async () => {
      const checks: SmokeCheck[] = [];
      for (const unload of compileAthenaAggregateUnloads({
        lakeRoot: `s3://${BUCKET}`,
        processedTable: 'processed_data',
        days: prepared.days,
      })) {
        const { select, location, properties } = unloadParts(unload.sql);
        expect(properties).toBe("format = 'PARQUET', compression = 'SNAPPY'");
        // UNLOAD is Athena's own statement; Trino writes the same SELECT as Parquet with CREATE
        // TABLE AS into a fresh folder, and the project's reader reads every file back.
        const target = `unloaded/${location.replace(`s3://${BUCKET}/`, '')}`;
        await trino.query(
          `CREATE TABLE unloaded_${unload.table} WITH (format = 'PARQUET', ` +
            `external_location = 'local:///${subject.name}/${target}') AS ${select}`,
        );
        // What UNLOAD writes must be what the table over the partition declares.
        const written = await trino.query(`DESCRIBE unloaded_${unload.table}`);
        expect(
          written.rows.map((row) => [row[0], row[1]]),
          unload.table,
        ).toEqual(declaredColumns(unload.table).map((c) => [c.name, trinoType(c.type)]));
        await trino.query(`DROP TABLE unloaded_${unload.table}`);
        const folder = join(lakeDir, target);
        const names = await readdir(folder).catch(() => [] as string[]);
        const files = await Promise.all(names.map((f) => readFile(join(folder, f))));
        const got =
          files.length === 0
            ? undefined
            : await aggregateParquetCsv(files, unload.table, { sortByGroups: true });
        const want = await prepared.expected(unload.table, unload.day);
        checks.push(csvCheck(subject.name, `${unload.table} ${unload.day}`, want, got));
      }
      expect(checks.length).toBe(2 * prepared.days.length);
      expect(checks.filter((c) => !c.ok)).toEqual([]);
    });
  });
}
