import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionCommand, LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { deployLambdaMain, zipSingleFile } from '../src/index.js';
import { captured } from './streams.js';

const lambda = mockClient(LambdaClient);
const cloudFormation = mockClient(CloudFormationClient);
afterEach(() => {
  lambda.reset();
  cloudFormation.reset();
});

const BUNDLE = 'export const handler = async () => "v2";\n';

function bundleFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'streampulse-deploy-')), 'index.mjs');
  writeFileSync(path, BUNDLE);
  return path;
}

function io() {
  const stdout = captured();
  const stderr = captured();
  return {
    stdout,
    stderr,
    io: {
      env: {},
      stdout,
      stderr,
      lambda: new LambdaClient({}),
      cloudFormation: new CloudFormationClient({}),
    },
  };
}

/** The one file of a zip written by zipSingleFile: its name, mode and inflated bytes. */
function unzipSingle(zip: Buffer): { name: string; mode: number; data: string } {
  const nameLength = zip.readUInt16LE(26);
  const compressed = zip.readUInt32LE(18);
  const name = zip.subarray(30, 30 + nameLength).toString('utf8');
  const data = inflateRawSync(zip.subarray(30 + nameLength, 30 + nameLength + compressed)).toString('utf8');
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  return { name, mode: zip.readUInt32LE(central + 38) >>> 16, data };
}

const stackWithFunctions = {
  Stacks: [
    {
      StackName: 'StreamPulse',
      StackStatus: 'UPDATE_COMPLETE' as const,
      CreationTime: new Date(0),
      Outputs: [
        { OutputKey: 'EtlTriggerFunctionName', OutputValue: 'StreamPulse-EtlTriggerF605-abc' },
        { OutputKey: 'AggregateTriggerFunctionName', OutputValue: 'StreamPulse-AggregateTrigger-def' },
      ],
    },
  ],
};

describe('streampulse-deploy-lambda', () => {
  it('finds the function in the stack outputs and uploads the zipped bundle with UpdateFunctionCode', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(stackWithFunctions);
    lambda.on(GetFunctionCommand).resolves({ Configuration: { CodeSha256: 'old' } });
    lambda.on(UpdateFunctionCodeCommand).resolves({ CodeSha256: 'new-sha' });
    const run = io();
    const code = await deployLambdaMain(['--app', 'etl-trigger', '--bundle', bundleFile()], run.io);
    expect(run.stderr.text()).toBe('');
    expect(code).toBe(0);
    const update = lambda.commandCalls(UpdateFunctionCodeCommand)[0]?.args[0].input;
    expect(update?.FunctionName).toBe('StreamPulse-EtlTriggerF605-abc');
    expect(unzipSingle(Buffer.from(update?.ZipFile ?? new Uint8Array()))).toEqual({
      name: 'index.mjs',
      mode: 0o100644,
      data: BUNDLE,
    });
    expect(run.stdout.text()).toBe('StreamPulse-EtlTriggerF605-abc: updated code old -> new-sha\n');
  });

  it('with --dry-run prints what would change and changes nothing', async () => {
    lambda.on(GetFunctionCommand).resolves({ Configuration: { CodeSha256: 'old' } });
    const run = io();
    const code = await deployLambdaMain(
      ['--app', 'aggregate-trigger', '--bundle', bundleFile(), '--function-name', 'agg-fn', '--dry-run'],
      run.io,
    );
    expect(code).toBe(0);
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(0);
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
    expect(run.stdout.text()).toMatch(
      /^agg-fn: would update code old -> \S+ \(dry run: nothing changed\)\n$/,
    );
  });

  it('leaves a function alone when it already runs exactly this bundle', async () => {
    const sha = createHash('sha256')
      .update(zipSingleFile('index.mjs', Buffer.from(BUNDLE)))
      .digest('base64');
    lambda.on(GetFunctionCommand).resolves({ Configuration: { CodeSha256: sha } });
    const run = io();
    expect(
      await deployLambdaMain(
        ['--app', 'etl-trigger', '--bundle', bundleFile(), '--function-name', 'fn'],
        run.io,
      ),
    ).toBe(0);
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(0);
    expect(run.stdout.text()).toBe(`fn: unchanged (code ${sha})\n`);
  });

  it('says to deploy the stack first when it does not exist', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(new Error('Stack with id StreamPulse does not exist'));
    const run = io();
    expect(await deployLambdaMain(['--app', 'etl-trigger', '--bundle', bundleFile()], run.io)).toBe(1);
    expect(run.stderr.text()).toMatch(
      /stack StreamPulse is not deployed: run `npm run deploy -w apps\/infra` first/,
    );
  });

  it('says how to build a missing bundle', async () => {
    const run = io();
    expect(
      await deployLambdaMain(['--app', 'etl-trigger', '--bundle', '/nonexistent/index.mjs'], run.io),
    ).toBe(1);
    expect(run.stderr.text()).toMatch(/npm run build -w apps\/etl-trigger/);
  });
});

describe('zipSingleFile', () => {
  it('gives equal archives for equal contents, so CodeSha256 compares bundles', () => {
    expect(
      zipSingleFile('index.mjs', Buffer.from(BUNDLE)).equals(zipSingleFile('index.mjs', Buffer.from(BUNDLE))),
    ).toBe(true);
  });
});
