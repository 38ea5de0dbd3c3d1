import {
  AthenaClient,
  GetQueryExecutionCommand,
  InvalidRequestException,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
} from '@aws-sdk/client-athena';
import { athenaStatements } from '@streampulse/analytics-sql';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AthenaSetupError, runAthenaStatements } from '../src/index.js';
import { fakeClock } from './support.js';

const athena = mockClient(AthenaClient);
afterEach(() => athena.reset());

const statements = athenaStatements({ bucket: 'acme-lake', prefix: 'prod' });
const execution = (
  State: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED',
  StateChangeReason?: string,
): Partial<GetQueryExecutionCommandOutput> => ({
  QueryExecution: {
    QueryExecutionId: 'q',
    Status: { State, ...(StateChangeReason ? { StateChangeReason } : {}) },
  },
});

function numberedStarts(): void {
  let n = 0;
  athena.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `q${++n}` }));
}

async function failureOf(promise: Promise<unknown>): Promise<AthenaSetupError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AthenaSetupError);
  return error as AthenaSetupError;
}

describe('runAthenaStatements', () => {
  it('runs every statement in order in the workgroup, polling with growing waits until SUCCEEDED', async () => {
    numberedStarts();
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('QUEUED'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolves(execution('SUCCEEDED'));
    const clock = fakeClock();
    const done: string[] = [];

    const ids = await runAthenaStatements(new AthenaClient({ region: 'ap-south-1' }), statements, {
      workgroup: 'analytics',
      outputLocation: 's3://acme-results/athena/',
      clock,
      onSucceeded: (statement, id) => done.push(`${statement.name} ${id}`),
    });

    expect(ids).toEqual(statements.map((_, i) => `q${i + 1}`));
    expect(done[0]).toBe('database streampulse q1');
    expect(clock.sleeps).toEqual([250, 500, 1000]);
    const starts = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(starts.map((s) => s.QueryString)).toEqual(statements.map((s) => s.sql));
    expect(starts[0]).toEqual({
      QueryString: 'CREATE DATABASE IF NOT EXISTS streampulse',
      WorkGroup: 'analytics',
      ResultConfiguration: { OutputLocation: 's3://acme-results/athena/' },
    });
    for (const start of starts.slice(1)) {
      expect(start.QueryExecutionContext).toEqual({ Database: 'streampulse' });
      expect(start.WorkGroup).toBe('analytics');
    }
    expect(athena.commandCalls(GetQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryExecutionId: 'q1',
    });
  });

  it("stops at a FAILED statement and reports Athena's StateChangeReason", async () => {
    numberedStarts();
    const reason = 'FAILED: SemanticException [Error 10072]: Database does not exist: streampulse';
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('SUCCEEDED'))
      .resolvesOnce(execution('RUNNING'))
      .resolves(execution('FAILED', reason));

    const error = await failureOf(
      runAthenaStatements(new AthenaClient({}), statements, { workgroup: 'analytics', clock: fakeClock() }),
    );

    expect(error.code).toBe('query_failed');
    expect(error.message).toBe(`table daily_engagement FAILED: ${reason} (query q2)`);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(2);
  });

  it('reports a CANCELLED statement as failed', async () => {
    numberedStarts();
    athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED'));
    const error = await failureOf(
      runAthenaStatements(new AthenaClient({}), statements, { workgroup: 'analytics', clock: fakeClock() }),
    );
    expect(error.code).toBe('query_failed');
    expect(error.message).toBe('database streampulse CANCELLED: Athena gave no reason (query q1)');
  });

  it('gives up on a statement that outlives the timeout, asks Athena to stop it and says so', async () => {
    numberedStarts();
    athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const clock = fakeClock();

    const error = await failureOf(
      runAthenaStatements(new AthenaClient({}), statements, {
        workgroup: 'analytics',
        clock,
        timeoutMs: 10_000,
      }),
    );

    expect(error.code).toBe('timeout');
    expect(error.message).toBe(
      'database streampulse did not finish within 10 s (query q1, last state RUNNING); it was asked to stop',
    );
    expect(clock.now()).toBe(10_000);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(5000);
    expect(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q1' },
    ]);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
  });

  it('reports an API error naming the statement', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(new InvalidRequestException({ message: 'WorkGroup nope is not found.', $metadata: {} }));
    const error = await failureOf(
      runAthenaStatements(new AthenaClient({}), statements, { workgroup: 'nope', clock: fakeClock() }),
    );
    expect(error.code).toBe('athena_error');
    expect(error.message).toBe('starting database streampulse: WorkGroup nope is not found.');
  });
});
