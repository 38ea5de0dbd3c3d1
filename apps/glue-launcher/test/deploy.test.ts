import {
  CreateJobCommand,
  EntityNotFoundException,
  GetJobCommand,
  GlueClient,
  UpdateJobCommand,
} from '@aws-sdk/client-glue';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { openLake } from '@streampulse/lake';
import { JOB_PLAN_VERSION, type JobPlan } from '@streampulse/sql';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { deploy, jobDefinitions } from '../src/cloud.js';
import { GlueLauncherError } from '../src/index.js';
import { captured } from './support.js';

const glue = mockClient(GlueClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  glue.reset();
  s3.reset();
});

const env = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };
const roleArn = 'arn:aws:iam::123456789012:role/glue';
const notFound = () => new EntityNotFoundException({ message: 'no such job', $metadata: {} });
const deps = () => ({
  glue: new GlueClient({ region: 'us-east-1' }),
  lake: openLake('s3://bucket/pre', { env }),
});

function mutating() {
  return [...glue.commandCalls(CreateJobCommand), ...glue.commandCalls(UpdateJobCommand), ...s3.calls()];
}

describe('deploy', () => {
  it('uploads the runner and both plans, then creates missing jobs', async () => {
    glue.on(GetJobCommand).rejects(notFound());
    glue.on(CreateJobCommand).resolves({ Name: 'x' });
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    const result = await deploy(
      deps(),
      { lakeRoot: 's3://bucket/pre', roleArn, connections: ['pg'] },
      { dryRun: false },
    );

    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => `${p.Bucket}/${p.Key}`)).toEqual([
      'bucket/pre/scripts/glue/runner.py',
      'bucket/pre/scripts/glue/etl-plan.json',
      'bucket/pre/scripts/glue/aggregate-plan.json',
    ]);
    expect(Buffer.from(puts[0]?.Body as Uint8Array).toString()).toContain('def read_plan');
    const etlPlan = JSON.parse(Buffer.from(puts[1]?.Body as Uint8Array).toString()) as JobPlan;
    expect(etlPlan).toMatchObject({ version: JOB_PLAN_VERSION, job: 'etl', dialect: 'spark' });

    const created = glue.commandCalls(CreateJobCommand).map((c) => c.args[0].input);
    expect(created).toHaveLength(2);
    expect(created[0]).toEqual({
      Name: 'streampulse-etl',
      Role: roleArn,
      Command: {
        Name: 'glueetl',
        ScriptLocation: 's3://bucket/pre/scripts/glue/runner.py',
        PythonVersion: '3',
      },
      GlueVersion: '4.0',
      NumberOfWorkers: 2,
      WorkerType: 'G.1X',
      ExecutionProperty: { MaxConcurrentRuns: 10 },
      JobRunQueuingEnabled: true,
      Connections: { Connections: ['pg'] },
      DefaultArguments: {
        '--job-language': 'python',
        '--enable-continuous-cloudwatch-log': 'true',
        '--plan_path': 's3://bucket/pre/scripts/glue/etl-plan.json',
        '--connection_name': 'pg',
      },
    });
    expect(created[1]).toMatchObject({
      Name: 'streampulse-aggregate',
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      DefaultArguments: { '--plan_path': 's3://bucket/pre/scripts/glue/aggregate-plan.json' },
    });
    expect(result.jobs.map((j) => j.action)).toEqual(['create', 'create']);
  });

  it('updates an existing job, keeping the fields it does not own', async () => {
    const [etl] = jobDefinitions({ lakeRoot: 's3://bucket/pre' });
    glue.on(GetJobCommand).resolves({
      Job: {
        ...etl?.fields,
        Name: 'streampulse-etl',
        Role: 'arn:role/kept',
        Timeout: 60,
        MaxRetries: 0,
        GlueVersion: '3.0',
      },
    });
    glue.on(UpdateJobCommand).resolves({ JobName: 'x' });
    s3.on(PutObjectCommand).resolves({});
    const result = await deploy(deps(), { lakeRoot: 's3://bucket/pre', workers: 4 }, { dryRun: false });

    const update = glue.commandCalls(UpdateJobCommand)[0]?.args[0].input;
    expect(update?.JobName).toBe('streampulse-etl');
    expect(update?.JobUpdate).toMatchObject({
      Role: 'arn:role/kept',
      Timeout: 60,
      MaxRetries: 0,
      GlueVersion: '4.0',
      NumberOfWorkers: 4,
    });
    expect(glue.commandCalls(CreateJobCommand)).toHaveLength(0);
    expect(result.jobs[0]?.diff).toEqual([
      { field: 'GlueVersion', before: '3.0', after: '4.0' },
      { field: 'NumberOfWorkers', before: 2, after: 4 },
    ]);
  });

  it('dry run: sends only GetJob and uploads nothing', async () => {
    glue.on(GetJobCommand).rejects(notFound());
    const result = await deploy(deps(), { lakeRoot: 's3://bucket/pre', roleArn }, { dryRun: true });
    expect(mutating()).toHaveLength(0);
    expect(glue.commandCalls(GetJobCommand)).toHaveLength(2);
    expect(result.uploads.map((u) => u.key)).toEqual([
      'scripts/glue/runner.py',
      'scripts/glue/etl-plan.json',
      'scripts/glue/aggregate-plan.json',
    ]);
    expect(result.jobs[0]?.diff.find((d) => d.field === 'GlueVersion')).toEqual({
      field: 'GlueVersion',
      before: undefined,
      after: '4.0',
    });
  });

  it('refuses to create a job without a role, before changing anything', async () => {
    glue.on(GetJobCommand).rejects(notFound());
    const thrown = await deploy(deps(), { lakeRoot: 's3://bucket' }, { dryRun: false }).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(GlueLauncherError);
    expect((thrown as GlueLauncherError).code).toBe('invalid_request');
    expect(mutating()).toHaveLength(0);
  });
});

describe('glue-launcher deploy', () => {
  it('--dry-run prints the uploads and the field diff, and changes nothing', async () => {
    glue.on(GetJobCommand).rejects(notFound());
    const stdout = captured();
    const code = await main(
      ['deploy', '--lake', 's3://bucket/pre', '--dry-run', '--role-arn', roleArn, '--workers', '3'],
      { env, stdout, stderr: captured(), glue: () => new GlueClient({ region: 'us-east-1' }) },
    );
    expect(code).toBe(0);
    expect(mutating()).toHaveLength(0);
    const text = stdout.text();
    expect(text).toContain('would upload scripts/glue/runner.py');
    expect(text).toContain('would create job streampulse-etl');
    expect(text).toContain('  NumberOfWorkers: (unset) -> 3');
  });

  it('maps a bad --lake to a usage error', async () => {
    const stderr = captured();
    const code = await main(['deploy', '--lake', './local'], { env, stdout: captured(), stderr });
    expect(code).toBe(1);
    expect(stderr.text()).toContain('--lake s3://bucket[/prefix] is required');
  });
});
