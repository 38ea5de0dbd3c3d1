import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openLake, parseLakeRoot, readObjectBytes, type Lake } from '@streampulse/lake';
import { JOB_PLAN_VERSION, type JobInput, type JobOutput, type JobPlan } from '@streampulse/sql';
import { connectWarehouse } from '@streampulse/warehouse';
import type { JobLauncher, JobRunRef, JobRunStatus, StartJobRunRequest } from '../src/index.js';

// Glue cannot run here. This stand-in does with a job plan what `glue/runner.py` does, with DuckDB
// in Spark's place (so the plan must be compiled for DUCKDB) and the real loopback S3 and
// PostgreSQL around it: the readers give the views the runner's columns (`value`, a file's whole
// text; a JDBC query's rows), the statements become views in order, and the outputs are written
// as the runner writes them (a staging table recreated, then the `after` statements in one
// transaction; one Parquet object replacing its folder; a folder of JSON or text lines replaced). What it cannot show is Spark's own behaviour:
// its SQL functions, and its text reader (gzip by a lower-case `.gz`, bytes decoded as UTF-8).

/** An S3 URL's lake (the bucket) and key. */
function objectAt(url: string, env: Record<string, string>): { lake: Lake; key: string } {
  const root = parseLakeRoot(url);
  if (root.kind !== 's3') throw new Error(`not an s3:// path: ${url}`);
  return { lake: openLake(`s3://${root.bucket}`, { env }), key: root.prefix };
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** The bytes of a lake object, inflated when its name ends in `.gz` (as Hadoop's codecs do). */
async function inputText(url: string, env: Record<string, string>): Promise<Buffer> {
  const { lake, key } = objectAt(url, env);
  const bytes = await readObjectBytes(lake, key);
  return key.endsWith('.gz') ? gunzipSync(bytes) : bytes;
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
  if (type === undefined) throw new Error(`no DuckDB type for PostgreSQL type ${oid}`);
  return type;
}

/** PostgreSQL types for a DuckDB view's columns, as Spark's JDBC writer creates a table. */
function postgresTypeOf(duckdbType: string): string {
  if (duckdbType === 'VARCHAR') return 'text';
  if (duckdbType === 'TIMESTAMP WITH TIME ZONE') return 'timestamptz';
  if (/^(BIGINT|INTEGER|SMALLINT|DATE|BOOLEAN|TIMESTAMP|DOUBLE)$/.test(duckdbType)) return duckdbType;
  if (duckdbType.startsWith('DECIMAL')) return duckdbType.replace('DECIMAL', 'numeric');
  throw new Error(`no PostgreSQL type for DuckDB type ${duckdbType}`);
}

interface RunContext {
  readonly connection: DuckDBConnection;
  readonly env: Record<string, string>;
  readonly databaseUrl: string;
  readonly scratch: string;
}

async function readInput(context: RunContext, input: JobInput): Promise<void> {
  const { connection, scratch } = context;
  if (input.reader === 'jdbc') {
    const pool = await connectWarehouse(context.databaseUrl, { max: 1 });
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
        `INSERT INTO ${quote(input.view)} SELECT * FROM read_json(${literal(file)}, format = 'newline_delimited', ` +
          `columns = {${types.map(([name, type]) => `${literal(name)}: ${literal(type)}`).join(', ')}})`,
      );
    } finally {
      await pool.end();
    }
    return;
  }
  if (input.reader !== 'wholetext')
    throw new Error(`unknown reader ${String((input as { reader: unknown }).reader)}`);
  const bytes = await inputText(input.path, context.env);
  await readWholeText(connection, input.view, bytes.toString('utf8'));
}

async function deleteUnder(lake: Lake, prefix: string, keep?: string): Promise<void> {
  const keys: string[] = [];
  for await (const object of lake.list(prefix)) if (object.key !== keep) keys.push(object.key);
  for (const key of keys) await lake.delete(key);
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
    await connection.run(`COPY (SELECT * FROM ${view}) TO ${literal(file)} (FORMAT json, ARRAY true)`);
    const rows = (await readFile(file, 'utf8')).trim() || '[]';
    const pool = await connectWarehouse(context.databaseUrl, { max: 1 });
    const client = await pool.connect();
    try {
      await client.query(`DROP TABLE IF EXISTS ${output.table}`);
      await client.query(`CREATE TABLE ${output.table} (${columns.join(', ')})`);
      await client.query(
        `INSERT INTO ${output.table} SELECT * FROM json_populate_recordset(NULL::${output.table}, $1::json)`,
        [rows],
      );
      await client.query('BEGIN');
      try {
        for (const sql of output.after) await client.query(sql);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
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
      await connection.run(`COPY (SELECT * FROM ${view}) TO ${literal(file)} (FORMAT parquet)`);
      await lake.write(key, await readFile(file));
      await deleteUnder(lake, folder, key);
    } else {
      await deleteUnder(lake, folder);
    }
    return;
  }
  const folder = key.endsWith('/') ? key : `${key}/`;
  let body: Buffer | string;
  if (output.kind === 'json') {
    const file = join(scratch, `${output.view}.jsonl`);
    await connection.run(`COPY (SELECT * FROM ${view}) TO ${literal(file)} (FORMAT json)`);
    body = await readFile(file);
  } else {
    const lines = await connection.runAndReadAll(`SELECT line FROM ${view}`);
    body = lines
      .getRowObjectsJson()
      .map((row) => `${String(row.line)}\n`)
      .join('');
  }
  await deleteUnder(lake, folder);
  await lake.write(
    `${folder}part-00000-${randomUUID()}-c000.${output.kind === 'json' ? 'json' : 'txt'}`,
    body,
  );
  await lake.write(`${folder}_SUCCESS`, '');
}

/**
 * Runs a job plan compiled for DuckDB the way `glue/runner.py` runs a Spark one.
 *
 * @example
 * await runPlanWithDuckdb(plan, { env: s3.env, databaseUrl: db.url });
 */
export async function runPlanWithDuckdb(
  plan: JobPlan,
  deps: { env: Record<string, string>; databaseUrl: string },
): Promise<void> {
  if (plan.version !== JOB_PLAN_VERSION) throw new Error(`plan version ${plan.version}`);
  if (plan.dialect !== 'duckdb') throw new Error(`this stand-in runs DuckDB plans, not ${plan.dialect}`);
  const scratch = await mkdtemp(join(tmpdir(), 'streampulse-duckdb-glue-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // Spark on Glue keeps its session in UTC.
    await connection.run("SET TimeZone = 'UTC'");
    const context: RunContext = { connection, scratch, ...deps };
    for (const input of plan.inputs) await readInput(context, input);
    for (const statement of plan.statements) {
      await connection.run(`CREATE OR REPLACE TEMP VIEW ${quote(statement.view)} AS ${statement.sql}`);
    }
    for (const output of plan.outputs) await writeOutput(context, output);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * A `JobLauncher` whose runs execute their `--plan_path` plan with {@link runPlanWithDuckdb}; the
 * warehouse is the one the run's `--jdbc_url`, `--jdbc_user` and `--jdbc_password` name.
 *
 * @example
 * const { launcher, plans } = duckdbGlueLauncher(s3.env);
 */
export function duckdbGlueLauncher(env: Record<string, string>): {
  launcher: JobLauncher;
  plans: JobPlan[];
} {
  const plans: JobPlan[] = [];
  const runs = new Map<string, JobRunStatus>();
  const launcher: JobLauncher = {
    backend: 'glue',
    async start(request: StartJobRunRequest): Promise<JobRunRef> {
      const ref = { jobName: request.jobName, runId: `jr_duckdb_${runs.size + 1}` };
      const args = request.arguments;
      try {
        const planPath = args['--plan_path'] ?? '';
        const { lake, key } = objectAt(planPath, env);
        const plan = JSON.parse((await readObjectBytes(lake, key)).toString('utf8')) as JobPlan;
        plans.push(plan);
        const jdbc = new URL((args['--jdbc_url'] ?? '').replace(/^jdbc:/, ''));
        jdbc.username = encodeURIComponent(args['--jdbc_user'] ?? '');
        jdbc.password = encodeURIComponent(args['--jdbc_password'] ?? '');
        await runPlanWithDuckdb(plan, { env, databaseUrl: jdbc.toString() });
        runs.set(ref.runId, { ...ref, state: 'SUCCEEDED' });
      } catch (error) {
        runs.set(ref.runId, { ...ref, state: 'FAILED', errorMessage: (error as Error).message });
      }
      return ref;
    },
    status: async (run) => runs.get(run.runId) ?? { ...run, state: 'ERROR', errorMessage: 'unknown run' },
    wait: async (run) => runs.get(run.runId) ?? { ...run, state: 'ERROR', errorMessage: 'unknown run' },
  };
  return { launcher, plans };
}
