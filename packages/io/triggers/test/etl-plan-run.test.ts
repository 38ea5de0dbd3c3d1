import { GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { GlueJobLauncher, RunPlanError } from '@streampulse/glue';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createEtlTriggerHandler, type EtlTriggerDeps } from '../src/index.js';
import { lambdaContext, sampleS3Event } from '@streampulse/lambda-events';
import { etlConfig } from './config.js';
import { jsonLineLogger } from '@streampulse/logging';

const glue = mockClient(GlueClient);
afterEach(() => glue.reset());

function setup(planRun: EtlTriggerDeps['planRun']) {
  const logs: Record<string, unknown>[] = [];
  const handler = createEtlTriggerHandler({
    launcher: new GlueJobLauncher(new GlueClient({ region: 'us-east-1' })),
    config: etlConfig('streampulse-etl'),
    logger: jsonLineLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
    sleep: async () => undefined,
    random: () => 0.5,
    planRun,
  });
  return { handler, logs };
}

const inputs = () => glue.commandCalls(StartJobRunCommand).map((call) => call.args[0].input);

describe('ETL trigger handler with a run planner', () => {
  it('starts each run with only --plan_path, to the plan compiled for its object', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_plan' });
    const planned: string[] = [];
    const { handler, logs } = setup(async (object) => {
      planned.push(`${object.bucket} ${object.key}`);
      return `s3://${object.bucket}/scripts/glue/runs/streampulse-etl/${'a'.repeat(64)}.json`;
    });
    await handler(sampleS3Event(['raw/playback/dt%3D2025-03-10/my+file.csv']), lambdaContext(30_000));
    expect(planned).toEqual(['streampulse-lake-123 raw/playback/dt=2025-03-10/my file.csv']);
    expect(inputs()).toEqual([
      {
        JobName: 'streampulse-etl',
        Arguments: {
          '--plan_path': `s3://streampulse-lake-123/scripts/glue/runs/streampulse-etl/${'a'.repeat(64)}.json`,
        },
      },
    ]);
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'job run started', planPath: expect.stringMatching(/runs/) }),
    );
  });

  it('ignores an object the planner finds is no data file, and starts the others', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const { handler } = setup(async (object) => {
      if (object.key.endsWith('.txt')) throw new RunPlanError('not_data_file', `${object.key} is no data`);
      return 's3://streampulse-lake-123/scripts/glue/runs/streampulse-etl/p.json';
    });
    const result = await handler(
      sampleS3Event(['raw/playback/notes.txt', 'raw/playback/a.csv']),
      lambdaContext(30_000),
    );
    expect(inputs().map((i) => i.Arguments)).toEqual([
      { '--plan_path': 's3://streampulse-lake-123/scripts/glue/runs/streampulse-etl/p.json' },
    ]);
    expect(result.ignored).toEqual([{ key: 'raw/playback/notes.txt', reason: 'not_data' }]);
  });

  it('fails the event with start_failed when a plan cannot be made, after starting the rest', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const cause = new RunPlanError(
      'read_failed',
      'reading the start of s3://streampulse-lake-123/raw/playback/a.csv',
    );
    const { handler, logs } = setup(async (object) => {
      if (object.key.endsWith('a.csv')) throw cause;
      return 's3://streampulse-lake-123/scripts/glue/runs/streampulse-etl/p.json';
    });
    const error = await handler(
      sampleS3Event(['raw/playback/a.csv', 'raw/playback/b.csv']),
      lambdaContext(30_000),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'EtlTriggerError', code: 'start_failed', cause });
    expect(inputs()).toHaveLength(1);
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'job run not started', code: 'read_failed' }),
    );
  });
});
