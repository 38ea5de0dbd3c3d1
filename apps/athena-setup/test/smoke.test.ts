import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { DuckDBInstance } from '@duckdb/node-api';
import { goldenCases } from '@streampulse/golden';
import { openLake } from '@streampulse/lake';
import { compileAggregateJobPlan, DUCKDB } from '@streampulse/contract-sql';
import { startS3, type TestS3 } from '@streampulse/test-servers';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
import { captured, fakeClock } from './support.js';

// Athena cannot run here. The stand-in answers each UNLOAD the way the statement asks: it reads
// the processed Parquet the smoke run uploaded, runs the same compiled aggregation in DuckDB, and
// writes the result into the UNLOAD's prefix as two Parquet objects with Athena-like names (the
// second half of the rows first, so the read-back has to order them).

const athena = mockClient(AthenaClient);
let s3: TestS3;
let bucket = 0;
afterEach(() => athena.reset());
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(() => s3.stop());

const UNLOAD_TARGET =
  /TO '(s3:\/\/[^']+?)\/analytics\/(daily_aggregates|daily_active_users)\/year=(\d{4})\/month=(\d{2})\/day=(\d{2})\/'/;

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

type Tamper = (table: string, day: string) => string | undefined;

async function answerUnload(sql: string, queryId: string, tamper: Tamper): Promise<void> {
  const [, caseRoot = '', folder, year, month, dayOfMonth] = UNLOAD_TARGET.exec(sql) ?? [];
  const table = folder === 'daily_aggregates' ? 'daily_engagement' : 'daily_active_users';
  const day = `${year}-${month}-${dayOfMonth}`;
  const lake = openLake(caseRoot, { env: s3.env });
  const dir = await mkdtemp(join(tmpdir(), 'fake-athena-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const processed = join(dir, 'processed.parquet');
    await writeFile(processed, await collect(await lake.read('processed/processed_data.parquet')));
    await connection.run(`CREATE VIEW processed_0 AS SELECT * FROM read_parquet('${processed}')`);
    const plan = compileAggregateJobPlan(DUCKDB, { lakeRoot: 's3://unused', days: [day] });
    const select = plan.statements.find((s) => s.view === `${table}_0`)?.sql ?? '';
    await connection.run(
      `CREATE TABLE result AS SELECT *, row_number() OVER () AS n FROM (${select}) ${tamper(table, day) ?? ''}`,
    );
    const half = `(SELECT count(*) / 2 FROM result)`;
    const parts = [`n > ${half}`, `n <= ${half}`];
    for (const [index, where] of parts.entries()) {
      const path = join(dir, `${index}.parquet`);
      await connection.run(
        `COPY (SELECT * EXCLUDE (n) FROM result WHERE ${where} ORDER BY n) TO '${path}' (FORMAT parquet)`,
      );
      const key = `analytics/${folder}/year=${year}/month=${month}/day=${dayOfMonth}/${queryId}_0000${index}`;
      await lake.write(key, await readFile(path));
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

function fakeAthena(tamper: Tamper = () => undefined): string[] {
  const statements: string[] = [];
  athena.on(StartQueryExecutionCommand).callsFake(async (input: { QueryString: string }) => {
    const id = `q${statements.push(input.QueryString)}`;
    if (input.QueryString.startsWith('UNLOAD ')) await answerUnload(input.QueryString, id, tamper);
    return { QueryExecutionId: id };
  });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  return statements;
}

async function run(args: string[]) {
  const name = `smoke-${++bucket}`;
  await s3.createBucket(name);
  const stdout = captured();
  const stderr = captured();
  const code = await main(['smoke', '--lake', `s3://${name}/prod`, '--workgroup', 'analytics', ...args], {
    stdout,
    stderr,
    clock: fakeClock(),
    env: s3.env,
    athena: () => new AthenaClient({ region: 'us-east-1' }),
  });
  return {
    code,
    stdout: stdout.text(),
    stderr: stderr.text(),
    lake: openLake(`s3://${name}/prod`, { env: s3.env }),
  };
}

describe('athena-setup smoke', () => {
  it('passes every golden case when Athena returns what the compiled aggregation computes', async () => {
    const statements = fakeAthena();
    const result = await run(['--run-id', 'r1']);

    const cases = goldenCases();
    const checks = cases.reduce((sum, c) => sum + 2 * c.days.length, 0);
    expect(result.stderr).toContain('basic: ');
    expect(result.stdout).toMatch(new RegExp(`all ${checks} checks passed\\n$`));
    expect(result.code).toBe(0);
    expect(statements[0]).toBe('CREATE DATABASE IF NOT EXISTS streampulse_smoke');
    for (const c of cases) {
      expect(statements).toContain(`DROP TABLE IF EXISTS streampulse_smoke.processed_r1_${c.name}`);
    }
    const created = statements.find((s) =>
      s.startsWith('CREATE EXTERNAL TABLE streampulse_smoke.processed_r1_basic'),
    );
    expect(created).toContain(`LOCATION 's3://${`smoke-${bucket}`}/prod/smoke/r1/basic/processed/'`);
    expect(created).toContain('`duration_min` decimal(10,2)');
  });

  it('fails, with the first difference, a day whose rows Athena got wrong', async () => {
    const [first] = goldenCases();
    const day = first?.days[0] ?? '';
    fakeAthena((table, d) =>
      table === 'daily_active_users' && d === day ? "WHERE region <> 'ALL'" : undefined,
    );
    const result = await run(['--run-id', 'r2', '--case', first?.dir ?? '']);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`daily_active_users ${day}\\s+FAIL line 2: expected `));
    expect(result.stdout).toMatch(/1 of \d+ checks failed\n$/);
  });

  it('reports a failed UNLOAD as a failed check, and still drops the case table', async () => {
    const statements: string[] = [];
    athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => ({
      QueryExecutionId: `q${statements.push(input.QueryString)}`,
    }));
    athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => {
      const sql = statements[Number(input.QueryExecutionId.slice(1)) - 1] ?? '';
      return {
        QueryExecution: {
          Status: sql.startsWith('UNLOAD ')
            ? { State: 'FAILED', StateChangeReason: 'HIVE_CANNOT_OPEN_SPLIT' }
            : { State: 'SUCCEEDED' },
        },
      };
    });
    const [first] = goldenCases();
    const result = await run(['--run-id', 'r3', '--case', first?.dir ?? '']);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /backfill-aggregates\s+FAIL .* is incomplete \(rerun to replace it; \d+ later day\(s\) not started\): .*HIVE_CANNOT_OPEN_SPLIT/,
    );
    expect(statements.at(-1)).toBe(`DROP TABLE IF EXISTS streampulse_smoke.processed_r3_${first?.name}`);
  });

  it.each([
    [
      ['--case', '/nonexistent/case'],
      /^athena-setup smoke: --case: \/nonexistent\/case is not a golden case/,
    ],
    [
      ['--run-id', 'Bad Id'],
      /^athena-setup smoke: --run-id must be lower-case letters, digits, - and _, got "Bad Id"/,
    ],
  ])('refuses %j before touching anything', async (args, message) => {
    fakeAthena();
    const result = await run(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(athena.calls()).toHaveLength(0);
  });
});
