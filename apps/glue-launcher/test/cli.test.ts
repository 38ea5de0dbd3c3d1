import { GetJobRunCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main, type LauncherIo } from '../src/cli/main.js';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import { PLAYBACK_CSV, smallLake } from './lake.js';
import { captured, fakeClock } from './support.js';

const glue = mockClient(GlueClient);
afterEach(() => glue.reset());

function io(env: Record<string, string | undefined> = {}) {
  const stdout = captured();
  const stderr = captured();
  const value: LauncherIo = {
    env,
    stdout,
    stderr,
    glue: () => new GlueClient({ region: 'ap-south-1' }),
    clock: fakeClock(),
  };
  return { io: value, stdout, stderr };
}

describe('glue-launcher start', () => {
  it('starts a run with the --arg arguments, adding the leading -- where missing', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_42' });
    const run = io();
    const code = await main(
      [
        'start',
        'streampulse-etl',
        '--arg',
        'input_path=s3://lake/raw/playback/a=b.csv',
        '--arg=--reporting_tz=UTC',
      ],
      run.io,
    );
    expect(code).toBe(0);
    expect(run.stdout.text()).toBe('started streampulse-etl run jr_42\n');
    expect(glue.commandCalls(StartJobRunCommand)[0]?.args[0].input.Arguments).toEqual({
      '--input_path': 's3://lake/raw/playback/a=b.csv',
      '--reporting_tz': 'UTC',
    });
  });

  it('with --wait, prints the final state, duration and error message and exits 1 for a failed run', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_7' });
    glue.on(GetJobRunCommand).resolves({
      JobRun: {
        JobRunState: 'FAILED',
        StartedOn: new Date('2025-03-14T20:30:00Z'),
        CompletedOn: new Date('2025-03-14T20:30:42Z'),
        ErrorMessage: 'secret not readable',
      },
    });
    const run = io();
    const code = await main(['start', 'agg', '--wait', '--arg', 'run_date=2025-03-14'], run.io);
    expect(code).toBe(1);
    expect(run.stdout.text()).toBe('agg run jr_7 FAILED after 42 s: secret not readable\n');
  });
});

describe('glue-launcher wait', () => {
  it('prints the run as one JSON object with --json and exits 0 when it SUCCEEDED', async () => {
    glue.on(GetJobRunCommand).resolves({ JobRun: { JobRunState: 'SUCCEEDED', ExecutionTime: 61 } });
    const run = io();
    const code = await main(['wait', 'agg', 'jr_7', '--json'], run.io);
    expect(code).toBe(0);
    expect(JSON.parse(run.stdout.text())).toEqual({
      jobName: 'agg',
      runId: 'jr_7',
      state: 'SUCCEEDED',
      durationSeconds: 61,
    });
  });

  it('turns usage mistakes into one line and exit 1', async () => {
    const run = io();
    expect(await main(['wait', 'agg'], run.io)).toBe(1);
    expect(run.stderr.text()).toBe('glue-launcher wait: the run id is required (see --help)\n');
    const bad = io();
    expect(await main(['start', 'etl', '--arg', 'novalue'], bad.io)).toBe(1);
    expect(bad.stderr.text()).toMatch(/--arg must be NAME=VALUE/);
  });
});

describe('glue-launcher failures', () => {
  it("prints another package's expected errors as one line each, not as a bug", async () => {
    // A database that is not there: the warehouse's error.
    const unreachable = io();
    const args = ['smoke', '--lake', 's3://bucket', '--database-url', 'postgres://u@127.0.0.1:1/x'];
    expect(await main([...args, '--case', '/nonexistent/case'], unreachable.io)).toBe(1);
    expect(unreachable.stderr.text()).toMatch(/^glue-launcher smoke: cannot reach PostgreSQL[^\n]*\n$/);
    // A folder that is no golden case: the acceptance package's error.
    const notACase = io();
    notACase.io.smokeSource = async () => ({
      reset: async () => undefined,
      processedCsv: async () => '',
      aggregateCsv: async () => undefined,
      changedDays: async () => [],
      rejectedReasons: async () => [],
      close: async () => undefined,
    });
    expect(await main([...args, '--case', '/nonexistent/case'], notACase.io)).toBe(1);
    expect(notACase.stderr.text()).toMatch(
      /^glue-launcher smoke: \/nonexistent\/case is not a golden case [^\n]*\n$/,
    );
    expect(unreachable.stderr.text() + notACase.stderr.text()).not.toMatch(/bug/);
  });

  it('reports an error of no StreamPulse type as a bug, with its stack', async () => {
    const run = io();
    run.io.glue = () => {
      throw new TypeError('client is undefined');
    };
    expect(await main(['wait', 'etl', 'jr_1'], run.io)).toBe(1);
    expect(run.stderr.text()).toMatch(
      /unexpected error \(a bug; please report it\):\nTypeError: client is undefined/,
    );
  });
});

describe('glue-launcher deploy', () => {
  it('is gone: it points at the infra stack, which owns the jobs, and calls no AWS API', async () => {
    const run = io();
    expect(
      await main(['deploy', '--lake', 's3://bucket', '--role-arn', 'arn:aws:iam::1:role/r'], run.io),
    ).toBe(1);
    expect(run.stderr.text()).toContain("the Glue jobs and their runner are the infra stack's");
    expect(run.stderr.text()).toContain('npm run deploy -w apps/infra');
    expect(glue.calls()).toHaveLength(0);
  });
});

describe('glue-launcher start --backend duckdb', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    await stopTestServer();
  });

  it('plans the ETL run as the trigger does, runs the plan on DuckDB and waits for it', async () => {
    const lake = smallLake({ 'raw/playback/a.csv': PLAYBACK_CSV });
    const run = io();
    const code = await main(
      [
        'start',
        'etl',
        '--backend',
        'duckdb',
        '--lake',
        lake,
        '--database-url',
        db.url,
        '--arg',
        'input_path=s3://x/raw/playback/a.csv',
      ],
      run.io,
    );
    expect(run.stderr.text()).toMatch(
      /^plan file:\/\/.*\/scripts\/glue\/runs\/etl\/[0-9a-f]{64}\.json \(duckdb\)\n/m,
    );
    expect(run.stderr.text()).toMatch(/^started etl run jr_duckdb_/m);
    expect(run.stdout.text()).toMatch(/^etl run jr_duckdb_\w+ SUCCEEDED in \d+ s\n$/);
    expect(code).toBe(0);
    const count = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM processed.processed_data');
    expect(count.rows[0]?.n).toBe('2');
  });
});
