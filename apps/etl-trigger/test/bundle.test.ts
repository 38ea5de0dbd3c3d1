import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleS3Event } from '@streampulse/lambda-events';
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

function invoke(endpoint: string, event: unknown) {
  return run(process.execPath, ['--input-type=module', '-e', driver], {
    env: {
      PATH: process.env.PATH,
      BUNDLE_URL: new URL(`file://${bundle}`).href,
      EVENT: JSON.stringify(event),
      ETL_JOB_NAME: 'streampulse-etl',
      SOURCE_TZ: 'Europe/Berlin',
      REPORTING_TZ: 'America/New_York',
      AWS_ENDPOINT_URL_GLUE: endpoint,
      AWS_REGION: 'ap-south-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_EC2_METADATA_DISABLED: 'true',
      // The planner reads the lake and writes the plan on loopback S3 (the fake Glue checks no keys).
      ...s3.env,
    },
  });
}

const bucket = 'streampulse-lake-123';
let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(bucket);
  const put = (key: string, body: string) =>
    s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  await put('raw/playback/dt=2025-03-10/my file.csv', 'session_id,user_id,content_id\ns1,u1,c1\n');
  await put('raw/playback/a.csv', 'session_id,user_id\ns1,u1\n');
  await put('raw/user_profiles/u.csv', 'user_id,country\nu1,IN\n');
}, 60_000);
afterAll(async () => s3?.stop());

const planPath = expect.stringMatching(
  /^s3:\/\/streampulse-lake-123\/scripts\/glue\/runs\/streampulse-etl\/[0-9a-f]{64}\.json$/,
);

let closeEndpoint: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeEndpoint?.();
  closeEndpoint = undefined;
});

describe('the built bundle dist/index.mjs', () => {
  beforeAll(async () => {
    await run(process.execPath, ['../../tools/scripts/build-lambda.mjs'], { cwd: appDir });
  }, 60_000);

  it('is one ES module exporting handler that sends StartJobRun for each playback object', async () => {
    expect(existsSync(bundle)).toBe(true);
    const glue = await fakeGlueEndpoint([{ status: 200, body: { JobRunId: 'jr_bundle' } }]);
    closeEndpoint = glue.close;
    const { stdout } = await invoke(
      glue.url,
      sampleS3Event(['raw/playback/dt%3D2025-03-10/my+file.csv', 'raw/user_profiles/u.csv']),
    );
    expect(glue.requests).toEqual([
      {
        target: 'AWSGlue.StartJobRun',
        body: {
          JobName: 'streampulse-etl',
          Arguments: { '--plan_path': planPath },
        },
      },
    ]);
    // The plan the run names is in the lake: the user file with its header, then the playback file.
    const args = (glue.requests[0]?.body as { Arguments: Record<string, string> }).Arguments;
    const object = await s3.client.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: String(args['--plan_path']).slice(`s3://${bucket}/`.length),
      }),
    );
    const plan = JSON.parse((await object.Body?.transformToString()) ?? '{}') as {
      inputs: { path: string; reader: string }[];
    };
    expect(plan.inputs.map((i) => [i.path, i.reader])).toEqual([
      [`s3://${bucket}/raw/user_profiles/u.csv`, 'wholetext'],
      [`s3://${bucket}/raw/playback/dt=2025-03-10/my file.csv`, 'wholetext'],
    ]);
    const planText = JSON.stringify(plan);
    // The headers were read: the playback file's names key its quarantine records, and each
    // file's fields are taken up to one past its header (c2 for u.csv, c3 for the playback file).
    expect(planText).toContain(String.raw`'\"session_id\":'`);
    expect(planText).toContain('AS c3');
    // Compiled with the Lambda's contract settings, not the defaults.
    expect(planText).toContain('Europe/Berlin');
    expect(planText).toContain('America/New_York');
    expect(planText).not.toContain('Asia/Kolkata');
    const lines = stdout.trim().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      message: 'record ignored',
      key: 'raw/user_profiles/u.csv',
    });
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ message: 'job run started', jobRunId: 'jr_bundle' });
    expect(lines[2]).toBe(
      `RESULT ${JSON.stringify({
        runs: [
          {
            inputPath: 's3://streampulse-lake-123/raw/playback/dt=2025-03-10/my file.csv',
            jobRunId: 'jr_bundle',
          },
        ],
        ignored: [{ key: 'raw/user_profiles/u.csv', reason: 'outside_prefix' }],
      })}`,
    );
  }, 30_000);

  it('retries a ConcurrentRunsExceededException from the endpoint, then starts the run', async () => {
    const glue = await fakeGlueEndpoint([
      { status: 400, body: { __type: 'ConcurrentRunsExceededException', Message: 'busy' } },
      { status: 200, body: { JobRunId: 'jr_second' } },
    ]);
    closeEndpoint = glue.close;
    const { stdout } = await invoke(glue.url, sampleS3Event(['raw/playback/a.csv']));
    expect(glue.requests.map((r) => r.target)).toEqual(['AWSGlue.StartJobRun', 'AWSGlue.StartJobRun']);
    expect(stdout).toContain('"jobRunId":"jr_second"');
    expect(stdout).toContain('"attempts":2');
  }, 30_000);
});
