import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { deployStack, diffTemplates, type RunCommand } from '../src/index.js';
import { textLineLogger } from '@streampulse/logging';

const cloudFormation = mockClient(CloudFormationClient);
afterEach(() => cloudFormation.reset());

const deployed = {
  Resources: {
    Lake: { Type: 'AWS::S3::Bucket', Properties: { Versioned: false } },
    EtlTrigger: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'old.zip' } } },
    OldQueue: { Type: 'AWS::SQS::Queue' },
  },
};
const synthesized = {
  Resources: {
    Lake: { Type: 'AWS::S3::Bucket', Properties: { Versioned: false } },
    EtlTrigger: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'new.zip' } } },
    Alarms: { Type: 'AWS::SNS::Topic' },
  },
};

function recorder() {
  const calls: { command: string; args: readonly string[]; env: Record<string, string> }[] = [];
  const run: RunCommand = async (command, args, env) => {
    calls.push({ command, args, env });
    return 0;
  };
  return { calls, run };
}

const options = (dryRun: boolean, log: (line: string) => void) => ({
  logger: textLineLogger(log),
  stackName: 'StreamPulse',
  cdkOut: '/repo/apps/infra/cdk.out',
  template: synthesized,
  cdkBin: '/repo/node_modules/aws-cdk/bin/cdk',
  dryRun,
});

describe('deployStack', () => {
  it('with dryRun lists added, removed and modified resources against the deployed template and runs nothing', async () => {
    cloudFormation.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(deployed) });
    const { calls, run } = recorder();
    const lines: string[] = [];
    const changes = await deployStack(
      new CloudFormationClient({}),
      run,
      options(true, (l) => lines.push(l)),
    );
    expect(changes).toEqual({
      exists: true,
      added: ['Alarms'],
      removed: ['OldQueue'],
      modified: ['EtlTrigger'],
    });
    expect(lines).toEqual(['  + Alarms', '  - OldQueue', '  ~ EtlTrigger', 'dry run: nothing changed']);
    expect(calls).toEqual([]);
    expect(cloudFormation.commandCalls(GetTemplateCommand)[0]?.args[0].input).toEqual({
      StackName: 'StreamPulse',
      TemplateStage: 'Original',
    });
  });

  it('says a missing stack would be created', async () => {
    cloudFormation.on(GetTemplateCommand).rejects(new Error('Stack with id StreamPulse does not exist'));
    const lines: string[] = [];
    await deployStack(
      new CloudFormationClient({}),
      recorder().run,
      options(true, (l) => lines.push(l)),
    );
    expect(lines[0]).toBe('StreamPulse is not deployed: would create 3 resources');
  });

  it('runs cdk deploy on the synthesized assembly, offline of notices and version checks', async () => {
    cloudFormation.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(synthesized) });
    const { calls, run } = recorder();
    const lines: string[] = [];
    await deployStack(
      new CloudFormationClient({}),
      run,
      options(false, (l) => lines.push(l)),
    );
    expect(lines).toEqual(['StreamPulse: no resource changes']);
    expect(calls).toEqual([
      {
        command: process.execPath,
        args: [
          '/repo/node_modules/aws-cdk/bin/cdk',
          'deploy',
          'StreamPulse',
          '--app',
          '/repo/apps/infra/cdk.out',
          '--require-approval',
          'never',
          '--no-notices',
        ],
        env: { CDK_DISABLE_VERSION_CHECK: '1' },
      },
    ]);
  });

  it('fails when cdk deploy fails', async () => {
    cloudFormation.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(synthesized) });
    await expect(
      deployStack(
        new CloudFormationClient({}),
        async () => 1,
        options(false, () => undefined),
      ),
    ).rejects.toMatchObject({ code: 'aws_error', message: 'cdk deploy exited with status 1' });
  });
});

describe('diffTemplates', () => {
  it('sees a changed resource type as a modification', () => {
    expect(
      diffTemplates(
        { Resources: { A: { Type: 'AWS::SQS::Queue' } } },
        { Resources: { A: { Type: 'AWS::SNS::Topic' } } },
      ).modified,
    ).toEqual(['A']);
  });
});
