import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { createApp, lambdaBundleCode } from '../src/index.js';
import { fakeBundleDir } from './support.js';

const outdir = () => mkdtempSync(join(tmpdir(), 'streampulse-nag-'));

/** Every acknowledged rule of the app's constructs: rule id, construct path, reason. */
function acknowledged(app: App): { id: string; path: string; reason: string }[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ id, path: construct.node.path, reason })),
  );
}

describe("cdk-nag's AwsSolutions pack", () => {
  it('finds nothing in the stack that is not accepted next to its construct with a reason', () => {
    const bundle = fakeBundleDir();
    const { app } = createApp({
      outdir: outdir(),
      stack: {
        etlTriggerCode: lambdaBundleCode(bundle, 'etl-trigger'),
        aggregateTriggerCode: lambdaBundleCode(bundle, 'aggregate-trigger'),
      },
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // Policy validation throws ValidationFailed, listing them, on any unaccepted finding.
    expect(() => app.synth()).not.toThrow();
    // aws-cdk-lib acknowledges some of its own CloudFormation-Validate rules; ours are cdk-nag's.
    const accepted = acknowledged(app)
      .filter((a) => a.id.startsWith('Annotation::AwsSolutions-'))
      .map((a) => ({ ...a, id: a.id.slice('Annotation::'.length) }));
    for (const { reason } of accepted) expect(reason.length).toBeGreaterThan(20);
    const rules = [...new Set(accepted.map((a) => a.id.replace(/\[.*$/, '')))].sort();
    expect(rules).toEqual([
      'AwsSolutions-GL1',
      'AwsSolutions-GL3',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-RDS11',
      'AwsSolutions-RDS3',
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
  });

  it('fails synth on a finding nobody accepted', () => {
    const app = new App({ outdir: outdir() });
    new Bucket(new Stack(app, 'Unaccepted'), 'NoLogs');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/NoLogs[\s\S]*AwsSolutions-S1/);
  });
});
