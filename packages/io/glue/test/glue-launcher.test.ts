import {
  ConcurrentRunsExceededException,
  EntityNotFoundException,
  GetJobRunCommand,
  GlueClient,
  GlueServiceException,
  InvalidInputException,
  OperationTimeoutException,
  StartJobRunCommand,
  ThrottlingException,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createGlueClient, GlueJobLauncher, GlueLauncherError } from '../src/index.js';
import { fakeClock } from './support.js';

const glue = mockClient(GlueClient);
afterEach(() => glue.reset());

const meta = { $metadata: {} };

async function startError(error: Error): Promise<GlueLauncherError> {
  glue.on(StartJobRunCommand).rejects(error);
  const thrown = await new GlueJobLauncher(new GlueClient({}))
    .start({ jobName: 'etl', arguments: {} })
    .catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(GlueLauncherError);
  return thrown as GlueLauncherError;
}

describe('GlueJobLauncher.start', () => {
  it('sends StartJobRun with the job name and arguments and returns the JobRunId', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const run = await new GlueJobLauncher(new GlueClient({})).start({
      jobName: 'streampulse-etl',
      arguments: { '--input_path': 's3://lake/raw/playback/a.csv' },
    });
    expect(run).toEqual({ jobName: 'streampulse-etl', runId: 'jr_1' });
    expect(glue.commandCalls(StartJobRunCommand)[0]?.args[0].input).toEqual({
      JobName: 'streampulse-etl',
      Arguments: { '--input_path': 's3://lake/raw/playback/a.csv' },
    });
  });

  it('rejects argument names without the leading -- before calling Glue', async () => {
    const error = await new GlueJobLauncher(new GlueClient({}))
      .start({ jobName: 'etl', arguments: { input_path: 'x' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(0);
  });

  it('marks concurrent runs exceeded, throttling and 5xx as retryable, keeping the SDK error as cause', async () => {
    const concurrent = new ConcurrentRunsExceededException({ message: 'busy', ...meta });
    const busy = await startError(concurrent);
    expect([busy.code, busy.retryable, busy.cause]).toEqual(['concurrent_runs_exceeded', true, concurrent]);
    expect(await startError(new ThrottlingException({ message: 'slow down', ...meta }))).toMatchObject({
      code: 'throttled',
      retryable: true,
    });
    expect(await startError(new OperationTimeoutException({ message: 'timeout', ...meta }))).toMatchObject({
      code: 'throttled',
      retryable: true,
    });
    const tooMany = new GlueServiceException({
      name: 'SomethingElse',
      $fault: 'client',
      $metadata: { httpStatusCode: 429 },
    });
    expect(await startError(tooMany)).toMatchObject({ code: 'throttled', retryable: true });
    const down = new GlueServiceException({
      name: 'ServiceUnavailable',
      $fault: 'server',
      $metadata: { httpStatusCode: 503 },
    });
    expect(await startError(down)).toMatchObject({ code: 'service_unavailable', retryable: true });
  });

  it('does not mark a missing job or bad input as retryable', async () => {
    expect(await startError(new EntityNotFoundException({ message: 'no job', ...meta }))).toMatchObject({
      code: 'job_not_found',
      retryable: false,
    });
    expect(await startError(new InvalidInputException({ message: 'bad', ...meta }))).toMatchObject({
      code: 'invalid_request',
      retryable: false,
    });
  });
});

describe('GlueJobLauncher.wait', () => {
  it('polls GetJobRun with growing delays until the run ends, reporting duration and error', async () => {
    glue
      .on(GetJobRunCommand)
      .resolvesOnce({ JobRun: { JobRunState: 'STARTING' } })
      .resolvesOnce({ JobRun: { JobRunState: 'RUNNING', StartedOn: new Date('2025-03-14T20:30:00Z') } })
      .resolves({
        JobRun: {
          JobRunState: 'FAILED',
          StartedOn: new Date('2025-03-14T20:30:00Z'),
          CompletedOn: new Date('2025-03-14T20:31:05Z'),
          ErrorMessage: 'AnalysisException: table not found',
        },
      });
    const clock = fakeClock();
    const seen: string[] = [];
    const status = await new GlueJobLauncher(new GlueClient({}), clock).wait(
      { jobName: 'agg', runId: 'jr_9' },
      { onPoll: (s) => seen.push(s.state) },
    );
    expect(status).toEqual({
      jobName: 'agg',
      runId: 'jr_9',
      state: 'FAILED',
      durationSeconds: 65,
      errorMessage: 'AnalysisException: table not found',
    });
    expect(seen).toEqual(['STARTING', 'RUNNING', 'FAILED']);
    expect(clock.sleeps).toEqual([2000, 4000]);
    expect(glue.commandCalls(GetJobRunCommand)[0]?.args[0].input).toMatchObject({
      JobName: 'agg',
      RunId: 'jr_9',
    });
  });

  it('gives up with a timeout error when the run outlives the wait', async () => {
    glue.on(GetJobRunCommand).resolves({ JobRun: { JobRunState: 'RUNNING' } });
    const clock = fakeClock();
    const error = await new GlueJobLauncher(new GlueClient({}), clock)
      .wait({ jobName: 'agg', runId: 'jr_9' }, { timeoutMs: 10_000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('reports a run Glue does not know as run_not_found', async () => {
    glue.on(GetJobRunCommand).rejects(new EntityNotFoundException({ message: 'no run', ...meta }));
    const error = await new GlueJobLauncher(new GlueClient({}))
      .status({ jobName: 'agg', runId: 'jr_x' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'run_not_found' });
  });
});

describe('createGlueClient', () => {
  it('points the client at AWS_ENDPOINT_URL_GLUE when set', async () => {
    const client = createGlueClient(
      { AWS_ENDPOINT_URL_GLUE: 'http://127.0.0.1:4599' },
      { region: 'ap-south-1' },
    );
    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(4599);
    expect(await client.config.region()).toBe('ap-south-1');
  });
});
