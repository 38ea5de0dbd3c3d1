import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENV, scheduledEvent } from './events.js';
import { fakeGlueEndpoint, startS3, type TestS3 } from '@streampulse/test-servers';

const run = promisify(execFile);
const appDir = fileURLToPath(new URL('..', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/index.mjs', import.meta.url));

// Each call starts a Node process that parses the whole bundle: generous timeouts for busy machines.
// Imports the bundle in a fresh Node process, as the Lambda runtime does, and calls its handler.
const driver = `
const { handler } = await import(process.env.BUNDLE_URL);
try {
  const result = await handler(JSON.parse(process.env.EVENT), { getRemainingTimeInMillis: () => 20000 });
  console.log('RESULT ' + JSON.stringify(result));
} catch (error) {
  console.log('ERROR ' + JSON.stringify({ name: error.name, code: error.code, message: error.message }));
}`;

function invoke(endpoint: string, event: unknown, env: Record<string, string> = {}) {
  return run(process.execPath, ['--input-type=module', '-e', driver], {
    env: {
      PATH: process.env.PATH,
      BUNDLE_URL: new URL(`file://${bundle}`).href,
      EVENT: JSON.stringify(event),
      ...ENV,
      AWS_ENDPOINT_URL_GLUE: endpoint,
      AWS_REGION: 'ap-south-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_EC2_METADATA_DISABLED: 'true',
      // The plan goes to the lake on loopback S3 (s3rver checks its own keys; the fake Glue none).
      ...s3.env,
      ...env,
    },
  });
}

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket('streampulse-lake-123');
}, 60_000);
afterAll(async () => s3?.stop());

let closeEndpoint: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeEndpoint?.();
  closeEndpoint = undefined;
});

describe('the built bundle dist/index.mjs', () => {
  beforeAll(async () => {
    await run(process.execPath, ['../../tools/scripts/build-lambda.mjs'], { cwd: appDir });
  }, 60_000);

  it('is one ES module exporting handler that sends StartJobRun for the day that ended', async () => {
    expect(existsSync(bundle)).toBe(true);
    const glue = await fakeGlueEndpoint([{ status: 200, body: { JobRunId: 'jr_bundle' } }]);
    closeEndpoint = glue.close;
    const { stdout } = await invoke(glue.url, scheduledEvent('2025-03-14T20:30:00Z'), { LOOKBACK_DAYS: '2' });
    expect(glue.requests).toEqual([
      {
        target: 'AWSGlue.StartJobRun',
        body: {
          JobName: 'streampulse-aggregate',
          Arguments: {
            '--plan_path': expect.stringMatching(
              /^s3:\/\/streampulse-lake-123\/scripts\/glue\/runs\/streampulse-aggregate\/[0-9a-f]{64}\.json$/,
            ),
          },
        },
      },
    ]);
    // The plan the run names is in the lake, over the run date and the two days before it.
    const planPath = String(
      (glue.requests[0]?.body as { Arguments: Record<string, string> }).Arguments['--plan_path'],
    );
    const object = await s3.client.send(
      new GetObjectCommand({
        Bucket: 'streampulse-lake-123',
        Key: planPath.replace('s3://streampulse-lake-123/', ''),
      }),
    );
    const plan = JSON.parse((await object.Body?.transformToString()) ?? '{}') as {
      job: string;
      inputs: unknown[];
    };
    expect(plan.job).toBe('aggregate');
    expect(plan.inputs).toHaveLength(3);
    const lines = stdout.trim().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      message: 'job run started',
      jobRunId: 'jr_bundle',
      runDate: '2025-03-14',
    });
    expect(lines[1]).toMatch(/^RESULT .*"jobRunId":"jr_bundle"/);
  }, 30_000);

  it('throws a start_failed error when the endpoint keeps refusing with a non-retryable error', async () => {
    const glue = await fakeGlueEndpoint([
      { status: 400, body: { __type: 'EntityNotFoundException', Message: 'no job' } },
    ]);
    closeEndpoint = glue.close;
    const { stdout } = await invoke(glue.url, scheduledEvent('2025-03-14T20:30:00Z'));
    expect(glue.requests).toHaveLength(1);
    expect(stdout).toContain('ERROR {"name":"AggregateTriggerError","code":"start_failed"');
  }, 30_000);
});
