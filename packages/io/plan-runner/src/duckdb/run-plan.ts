import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openLake, parseLakeRoot, readObjectBytes, type Lake } from '@streampulse/lake';
import {
  JOB_PLAN_VERSION,
  RUN_ID_TOKEN,
  sqlString,
  type JobInput,
  type JobOutput,
  type JobPlan,
} from '@streampulse/contract-sql';
import { connectWarehouse } from '@streampulse/warehouse';
import type pg from 'pg';
import { PlanRunError } from '../errors.js';
import { messageOf } from '@streampulse/errors';

// What the Glue runner (`apps/glue-launcher/glue/runner.py`) does with a job plan, with DuckDB in
// Spark's place (so the plan must be compiled for DUCKDB): the readers give the views the runner's
// columns (`value`, a file's whole text; a JDBC query's rows), the statements become views in
// order, and the outputs are written as the runner writes them (the `before` statements, a staging
// table of the run's own, the `after` statements in one transaction, the table dropped; one
// Parquet object replacing its folder; a folder of JSON or text lines replaced). What it cannot
// show is Spark's own behaviour: its SQL functions, and its text reader (gzip by a lower-case
// `.gz`, bytes decoded as UTF-8).

/** The lake and key of an `s3://` or `file://` URL (a folder lake's files are read as files). */
function objectAt(url: string, env: Record<string, string | undefined>): { lake: Lake; key: string } {
  const root = parseLakeRoot(url);
  if (root.kind === 's3') return { lake: openLake(`s3://${root.bucket}`, { env }), key: root.prefix };
  // The file system's root as the lake, so a folder URL keeps its trailing '/' in the key.
  return { lake: openLake('/'), key: root.path.replace(/^\/+/, '') };
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The bytes of a lake object, inflated when its name ends in `.gz` (as Hadoop's codecs do). */
async function inputText(url: string, env: Record<string, string | undefined>): Promise<Buffer> {
  const { lake, key } = objectAt(url, env);
  const bytes = await readObjectBytes(lake, key);
  // An empty object is an empty text, as Hadoop's codec reads it, not a broken gzip.
  return key.endsWith('.gz') && bytes.length > 0 ? gunzipSync(bytes) : bytes;
}

async function readWholeText(connection: DuckDBConnection, view: string, value: string): Promise<void> {
  await connection.run(`CREATE TABLE ${quote(view)} (value VARCHAR)`);
  const appender = await connection.createAppender(view);
  appender.appendVarchar(value);
  appender.endRow();
  appender.closeSync();
}

/** DuckDB types of PostgreSQL result columns, by type OID (what the plans' queries return). */
function duckdbTypeOf(oid: number, modifier: number): string {
  const numeric = modifier >= 4 ? `DECIMAL(${(modifier - 4) >> 16}, ${(modifier - 4) & 0xffff})` : 'DOUBLE';
  const types: Record<number, string> = {
    16: 'BOOLEAN',
    20: 'BIGINT',
    21: 'SMALLINT',
    23: 'INTEGER',
    25: 'VARCHAR',
    1043: 'VARCHAR',
    1082: 'DATE',
    1114: 'TIMESTAMP',
    1184: 'TIMESTAMPTZ',
    1700: numeric,
  };
  const type = types[oid];
  if (type === undefined) throw new PlanRunError('bad_plan', `no DuckDB type for PostgreSQL type ${oid}`);
  return type;
}

/** PostgreSQL types for a DuckDB view's columns, as Spark's JDBC writer creates a table. */
function postgresTypeOf(duckdbType: string): string {
  if (duckdbType === 'VARCHAR') return 'text';
  if (duckdbType === 'TIMESTAMP WITH TIME ZONE') return 'timestamptz';
  if (/^(BIGINT|INTEGER|SMALLINT|DATE|BOOLEAN|TIMESTAMP|DOUBLE)$/.test(duckdbType)) return duckdbType;
  if (duckdbType.startsWith('DECIMAL')) return duckdbType.replace('DECIMAL', 'numeric');
  throw new PlanRunError('bad_plan', `no PostgreSQL type for DuckDB type ${duckdbType}`);
}

/** What reading inputs and writing outputs use: the engine, the lake's settings, the warehouse. */
interface RunContext {
  readonly connection: DuckDBConnection;
  readonly env: Record<string, string | undefined>;
  /** Needed by `jdbc` inputs and outputs only. */
  readonly databaseUrl: string | undefined;
  readonly scratch: string;
}

function warehouseOf(context: RunContext): Promise<pg.Pool> {
  if (context.databaseUrl === undefined)
    throw new PlanRunError('bad_url', 'this plan reads or writes the warehouse: give a database URL');
  return connectWarehouse(context.databaseUrl, { max: 1 });
}

async function readInput(context: RunContext, input: JobInput): Promise<void> {
  const { connection, scratch } = context;
  if (input.reader === 'jdbc') {
    const pool = await warehouseOf(context);
    try {
      const shape = await pool.query(`SELECT * FROM (${input.query}) AS pushed LIMIT 0`);
      const types = shape.fields.map(
        (f) => [f.name, duckdbTypeOf(f.dataTypeID, f.dataTypeModifier)] as const,
      );
      await connection.run(
        `CREATE TABLE ${quote(input.view)} (${types.map(([name, type]) => `${quote(name)} ${type}`).join(', ')})`,
      );
      const rows = await pool.query<{ j: string }>(
        `SELECT CAST(row_to_json(pushed) AS text) AS j FROM (${input.query}) AS pushed`,
      );
      if (rows.rows.length === 0) return;
      const file = join(scratch, `${input.view}.jsonl`);
      await writeFile(file, rows.rows.map((r) => r.j).join('\n'));
      await connection.run(
        `INSERT INTO ${quote(input.view)} SELECT * FROM read_json(${sqlString(file)}, format = 'newline_delimited', ` +
          `columns = {${types.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ')}})`,
      );
    } finally {
      await pool.end();
    }
    return;
  }
  if (input.reader !== 'wholetext')
    throw new PlanRunError('bad_plan', `unknown reader ${String((input as { reader: unknown }).reader)}`);
  const bytes = await inputText(input.path, context.env);
  await readWholeText(connection, input.view, bytes.toString('utf8'));
}

/** The statements in one transaction, as the runner sends them over JDBC. */
async function inTransaction(client: pg.PoolClient, statements: readonly string[]): Promise<void> {
  await client.query('BEGIN');
  try {
    for (const sql of statements) await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

async function writeOutput(context: RunContext, output: JobOutput): Promise<void> {
  const { connection, scratch } = context;
  const view = quote(output.view);
  if (output.kind === 'jdbc') {
    const described = await connection.runAndReadAll(`DESCRIBE ${view}`);
    const columns = described
      .getRowObjectsJson()
      .map((c) => `${quote(String(c.column_name))} ${postgresTypeOf(String(c.column_type))}`);
    const file = join(scratch, `${output.view}.json`);
    await connection.run(`COPY (SELECT * FROM ${view}) TO ${sqlString(file)} (FORMAT json, ARRAY true)`);
    const rows = (await readFile(file, 'utf8')).trim() || '[]';
    const runId = randomUUID().replaceAll('-', '');
    const table = output.table.replaceAll(RUN_ID_TOKEN, runId);
    const pool = await warehouseOf(context);
    const client = await pool.connect();
    try {
      await inTransaction(client, output.before);
      try {
        await client.query(`CREATE TABLE ${table} (${columns.join(', ')})`);
        await client.query(
          `INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1::json)`,
          [rows],
        );
        await inTransaction(
          client,
          output.after.map((sql) => sql.replaceAll(RUN_ID_TOKEN, runId)),
        );
      } finally {
        await client.query(`DROP TABLE IF EXISTS ${table}`);
      }
    } finally {
      client.release();
      await pool.end();
    }
    return;
  }
  const { lake, key } = objectAt(output.path, context.env);
  if (output.kind === 'parquet') {
    const folder = key.slice(0, key.lastIndexOf('/') + 1);
    const count = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${view}`);
    if (Number(count.getRowObjectsJson()[0]?.n) > 0) {
      const file = join(scratch, `${output.view}.parquet`);
      await connection.run(`COPY (SELECT * FROM ${view}) TO ${sqlString(file)} (FORMAT parquet)`);
      await lake.write(key, await readFile(file));
      await lake.deletePrefix(folder, { keep: key });
    } else {
      await lake.deletePrefix(folder);
    }
    return;
  }
  const folder = key.endsWith('/') ? key : `${key}/`;
  let body: Buffer | string;
  if (output.kind === 'json') {
    const file = join(scratch, `${output.view}.jsonl`);
    await connection.run(`COPY (SELECT * FROM ${view}) TO ${sqlString(file)} (FORMAT json)`);
    body = await readFile(file);
  } else {
    const lines = await connection.runAndReadAll(`SELECT line FROM ${view}`);
    body = lines
      .getRowObjectsJson()
      .map((row) => `${String(row.line)}\n`)
      .join('');
  }
  await lake.deletePrefix(folder);
  await lake.write(
    `${folder}part-00000-${randomUUID()}-c000.${output.kind === 'json' ? 'json' : 'txt'}`,
    body,
  );
  await lake.write(`${folder}_SUCCESS`, '');
}

/**
 * The views of a plan whose inputs are read and statements run (see {@link withPlanViews}): what
 * a caller that writes the outputs its own way reads of them.
 *
 * @example
 * const rows = await views.rows('SELECT reason, count(*) AS n FROM playback_results GROUP BY reason');
 */
export interface PlanViews {
  /** A query's rows as objects (DuckDB's JSON-friendly values); for small results. */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** A query's rows as arrays, chunk by chunk, in the query's order: bounded memory. */
  chunks(sql: string): AsyncIterable<unknown[][]>;
}

/** The engine's own message, whatever it threw. */

/**
 * Reads a DuckDB plan's inputs and runs its statements, each into a table of the statement's name
 * (as the Glue runner checkpoints each statement), then hands the views to `use`, and closes the
 * engine whatever happens. A failed input or statement is a `PlanRunError` `run_failed` naming the
 * input's path or the statement's view, with the engine's whole message.
 *
 * @example
 * const counts = await withPlanViews(plan, { env: process.env }, (views) =>
 *   views.rows('SELECT count(*) AS n FROM staged'),
 * );
 */
export function withPlanViews<T>(
  plan: JobPlan,
  deps: { env: Record<string, string | undefined>; databaseUrl?: string },
  use: (views: PlanViews) => Promise<T>,
): Promise<T> {
  return planSession(plan, deps, (views) => use(views));
}

async function planSession<T>(
  plan: JobPlan,
  deps: { env: Record<string, string | undefined>; databaseUrl?: string },
  use: (views: PlanViews, context: RunContext) => Promise<T>,
): Promise<T> {
  if (plan.version !== JOB_PLAN_VERSION) {
    throw new PlanRunError('bad_plan', `plan version ${plan.version}, this runner reads ${JOB_PLAN_VERSION}`);
  }
  if (plan.dialect !== 'duckdb') {
    throw new PlanRunError('bad_plan', `a plan compiled for ${plan.dialect} cannot run on DuckDB`);
  }
  if (plan.inputs.length === 0) throw new PlanRunError('bad_plan', 'the plan reads nothing');
  const scratch = await mkdtemp(join(tmpdir(), 'streampulse-duckdb-plan-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // Spark on Glue keeps its session in UTC.
    await connection.run("SET TimeZone = 'UTC'");
    const context: RunContext = { connection, scratch, env: deps.env, databaseUrl: deps.databaseUrl };
    for (const input of plan.inputs) {
      await readInput(context, input).catch((error: unknown) => {
        if (error instanceof PlanRunError) throw error;
        const source = input.reader === 'jdbc' ? `the warehouse query of ${input.view}` : input.path;
        throw new PlanRunError('run_failed', `reading ${source}: ${messageOf(error)}`, { cause: error });
      });
    }
    for (const statement of plan.statements) {
      await connection
        .run(`CREATE OR REPLACE TEMP TABLE ${quote(statement.view)} AS ${statement.sql}`)
        .catch((error: unknown) => {
          throw new PlanRunError('run_failed', `${statement.view}: ${messageOf(error)}`, { cause: error });
        });
    }
    const views: PlanViews = {
      rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson(),
      async *chunks(sql) {
        const result = await connection.stream(sql);
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) return;
          yield chunk.getRows();
        }
      },
    };
    return await use(views, context);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs a job plan compiled for DuckDB the way the Glue runner runs a Spark one: inputs read from
 * `s3://` (the lake's S3 settings in `env`) or `file://`, the warehouse at `databaseUrl`, every
 * output written as the runner writes it. A failed input or statement rejects with a
 * `PlanRunError` carrying DuckDB's or PostgreSQL's message.
 *
 * @example
 * await runPlanWithDuckdb(plan, { env: process.env, databaseUrl: 'postgres://u:p@127.0.0.1/streampulse' });
 */
export async function runPlanWithDuckdb(
  plan: JobPlan,
  deps: { env: Record<string, string | undefined>; databaseUrl: string },
): Promise<void> {
  await planSession(plan, deps, async (_views, context) => {
    for (const output of plan.outputs) await writeOutput(context, output);
  });
}

/**
 * Reads a stored plan (`s3://` or `file://`).
 *
 * @example
 * const plan = await readStoredPlan('s3://lake/scripts/glue/runs/streampulse-etl/ab12.json', process.env);
 */
export async function readStoredPlan(
  planPath: string,
  env: Record<string, string | undefined>,
): Promise<JobPlan> {
  const { lake, key } = objectAt(planPath, env);
  const text = (await readObjectBytes(lake, key)).toString('utf8');
  try {
    return JSON.parse(text) as JobPlan;
  } catch (error) {
    throw new PlanRunError('bad_plan', `${planPath} is not a job plan (JSON)`, { cause: error });
  }
}
