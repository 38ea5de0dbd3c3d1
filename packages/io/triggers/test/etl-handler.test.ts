import {
  ConcurrentRunsExceededException,
  EntityNotFoundException,
  GlueClient,
  StartJobRunCommand,
  ThrottlingException,
} from '@aws-sdk/client-glue';
import { GlueJobLauncher, GlueLauncherError } from '@streampulse/glue';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createEtlTriggerHandler, EtlTriggerError, type EtlTriggerDeps } from '../src/index.js';
import { lambdaContext, sampleS3Event } from '@streampulse/lambda-events';
import { etlConfig } from './config.js';
import { jsonLineLogger } from '@streampulse/logging';

const glue = mockClient(GlueClient);
afterEach(() => glue.reset());

const meta = { $metadata: {} };
const busy = () =>
  new ConcurrentRunsExceededException({ message: 'Concurrent runs exceeded for streampulse-etl', ...meta });

function setup(overrides: Partial<EtlTriggerDeps> = {}) {
  const logs: Record<string, unknown>[] = [];
  const sleeps: number[] = [];
  const handler = createEtlTriggerHandler({
    launcher: new GlueJobLauncher(new GlueClient({ region: 'us-east-1' })),
    config: etlConfig('streampulse-etl'),
    logger: jsonLineLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    planRun: async (object) => `plan-for:${object.inputPath}`,
    ...overrides,
  });
  return { handler, logs, sleeps };
}

const inputs = () => glue.commandCalls(StartJobRunCommand).map((call) => call.args[0].input);

describe('ETL trigger handler', () => {
  it('starts the ETL job with the decoded s3:// path of an encoded key and logs the JobRunId', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_abc' });
    const { handler, logs } = setup();
    const result = await handler(
      sampleS3Event(['raw/playback/dt%3D2025-03-10/my+file.csv']),
      lambdaContext(30_000),
    );
    expect(inputs()).toEqual([
      {
        JobName: 'streampulse-etl',
        Arguments: {
          '--plan_path': 'plan-for:s3://streampulse-lake-123/raw/playback/dt=2025-03-10/my file.csv',
        },
      },
    ]);
    expect(result.runs).toEqual([
      { inputPath: 's3://streampulse-lake-123/raw/playback/dt=2025-03-10/my file.csv', jobRunId: 'jr_abc' },
    ]);
    expect(logs).toContainEqual({
      level: 'INFO',
      message: 'job run started',
      jobName: 'streampulse-etl',
      jobRunId: 'jr_abc',
      inputPath: 's3://streampulse-lake-123/raw/playback/dt=2025-03-10/my file.csv',
      planPath: 'plan-for:s3://streampulse-lake-123/raw/playback/dt=2025-03-10/my file.csv',
      attempts: 1,
    });
  });

  it("carries the invocation's request id on every line, retries included", async () => {
    glue.on(StartJobRunCommand).rejectsOnce(busy()).resolves({ JobRunId: 'jr_req' });
    const { handler, logs } = setup();
    await handler(sampleS3Event(['raw/playback/a.csv', 'other/x.csv']), {
      ...lambdaContext(30_000),
      awsRequestId: 'req-42',
    });
    expect(logs.map((l) => l.message)).toEqual(['record ignored', 'retrying StartJobRun', 'job run started']);
    expect(logs.every((l) => l.function_request_id === 'req-42')).toBe(true);
  });

  it('logs each run as one JSON line on stdout by default', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_line' });
    const lines: unknown[] = [];
    const original = console.log;
    console.log = (line: unknown) => lines.push(line);
    try {
      const handler = createEtlTriggerHandler({
        launcher: new GlueJobLauncher(new GlueClient({ region: 'us-east-1' })),
        config: etlConfig('streampulse-etl'),
        planRun: async (object) => `plan-for:${object.inputPath}`,
      });
      await handler(sampleS3Event(['raw/playback/a.csv']), lambdaContext(30_000));
    } finally {
      console.log = original;
    }
    expect(lines).toHaveLength(1);
    expect(JSON.parse(String(lines[0]))).toMatchObject({ message: 'job run started', jobRunId: 'jr_line' });
  });

  it('ignores keys outside the playback prefix, folder markers and removals', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const { handler } = setup();
    const event = sampleS3Event([
      'raw/content_metadata/catalog.csv',
      'analytics/daily_aggregates/year%3D2025/part-0.parquet',
      'raw/playback/dt%3D2025-03-10/',
      'raw/playbackish/a.csv',
    ]);
    const removed = sampleS3Event(['raw/playback/old.csv']).Records?.[0];
    event.Records?.push({ ...removed, eventName: 'ObjectRemoved:Delete' });
    const result = await handler(event, lambdaContext(30_000));
    expect(inputs()).toEqual([]);
    expect(result.ignored.map((i) => i.reason)).toEqual([
      'outside_prefix',
      'outside_prefix',
      'folder',
      'outside_prefix',
      'not_object_created',
    ]);
  });

  it('starts one run per object, even when S3 reports the same key twice', async () => {
    glue.on(StartJobRunCommand).resolvesOnce({ JobRunId: 'jr_1' }).resolves({ JobRunId: 'jr_2' });
    const { handler } = setup();
    const result = await handler(
      sampleS3Event(['raw/playback/a.csv', 'raw/playback/b%2Bc.csv', 'raw/playback/a.csv']),
      lambdaContext(30_000),
    );
    expect(inputs().map((i) => i.Arguments?.['--plan_path']?.replace('plan-for:', ''))).toEqual([
      's3://streampulse-lake-123/raw/playback/a.csv',
      's3://streampulse-lake-123/raw/playback/b+c.csv',
    ]);
    expect(result.runs.map((r) => r.jobRunId)).toEqual(['jr_1', 'jr_2']);
  });

  it('starts runs only for keys under the configured playback prefix', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const { handler } = setup({
      config: etlConfig('etl', 'landing/sessions/'),
    });
    await handler(sampleS3Event(['landing/sessions/a.csv', 'raw/playback/b.csv']), lambdaContext(30_000));
    expect(inputs().map((i) => i.Arguments?.['--plan_path']?.replace('plan-for:', ''))).toEqual([
      's3://streampulse-lake-123/landing/sessions/a.csv',
    ]);
  });

  it('retries concurrent-runs-exceeded and throttling with backoff, then succeeds', async () => {
    glue
      .on(StartJobRunCommand)
      .rejectsOnce(busy())
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', ...meta }))
      .resolves({ JobRunId: 'jr_late' });
    const { handler, logs, sleeps } = setup();
    const result = await handler(sampleS3Event(['raw/playback/a.csv']), lambdaContext(30_000));
    expect(result.runs).toEqual([
      { inputPath: 's3://streampulse-lake-123/raw/playback/a.csv', jobRunId: 'jr_late' },
    ]);
    expect(inputs()).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
    expect(logs.filter((l) => l.message === 'retrying StartJobRun').map((l) => l.code)).toEqual([
      'concurrent_runs_exceeded',
      'throttled',
    ]);
    expect(logs.at(-1)).toMatchObject({ jobRunId: 'jr_late', attempts: 3 });
  });

  it('gives up when the invocation runs out of time and throws, so Lambda keeps the event', async () => {
    glue.on(StartJobRunCommand).rejects(busy());
    let remaining = 8_000;
    const { handler, sleeps } = setup({
      sleep: async (ms) => {
        sleeps.push(ms);
        remaining -= ms;
      },
    });
    const error = await handler(sampleS3Event(['raw/playback/a.csv']), {
      getRemainingTimeInMillis: () => remaining,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EtlTriggerError);
    expect(error).toMatchObject({ code: 'start_failed' });
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(GlueLauncherError);
    expect(cause).toMatchObject({ code: 'gave_up' });
    expect(sleeps.length).toBeGreaterThan(0);
    expect(remaining).toBeGreaterThan(0);
    expect(inputs()).toHaveLength(sleeps.length + 1);
  });

  it('still starts the other objects when one cannot be started, then throws naming it', async () => {
    glue
      .on(StartJobRunCommand, {
        Arguments: { '--plan_path': 'plan-for:s3://streampulse-lake-123/raw/playback/a.csv' },
      })
      .rejects(new EntityNotFoundException({ message: 'job not found', ...meta }))
      .on(StartJobRunCommand, {
        Arguments: { '--plan_path': 'plan-for:s3://streampulse-lake-123/raw/playback/b.csv' },
      })
      .resolves({ JobRunId: 'jr_b' });
    const { handler, sleeps, logs } = setup();
    await expect(
      handler(sampleS3Event(['raw/playback/a.csv', 'raw/playback/b.csv']), lambdaContext(30_000)),
    ).rejects.toThrow(/for 1 of 2 objects: s3:\/\/streampulse-lake-123\/raw\/playback\/a.csv/);
    expect(sleeps).toEqual([]);
    expect(logs).toContainEqual(expect.objectContaining({ message: 'job run started', jobRunId: 'jr_b' }));
  });
});
