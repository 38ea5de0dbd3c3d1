import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp, lambdaBundleCode, type StreamPulseStackProps } from '../src/index.js';

/** A folder holding a stand-in bundle, so the stack tests need no esbuild run. */
export function fakeBundleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'streampulse-bundle-'));
  writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => ({});\n');
  return dir;
}

/** The stack with stand-in bundles, synthesized: its template and the assembly folder. */
export function synthStack(props: StreamPulseStackProps = {}): { template: Template; outdir: string } {
  const dir = fakeBundleDir();
  const outdir = mkdtempSync(join(tmpdir(), 'streampulse-cdk-out-'));
  const { app, stack } = createApp({
    outdir,
    stack: {
      etlTriggerCode: lambdaBundleCode(dir, 'etl-trigger'),
      aggregateTriggerCode: lambdaBundleCode(dir, 'aggregate-trigger'),
      ...props,
    },
  });
  app.synth();
  return { template: Template.fromStack(stack), outdir };
}

/** The synthesized template of the stack with stand-in bundles. */
export function synthTemplate(props: StreamPulseStackProps = {}): Template {
  return synthStack(props).template;
}

/** Every IAM policy statement of a template, from policies and roles alike. */
export function policyStatements(
  template: Template,
): { Effect?: string; Action?: unknown; Resource?: unknown; Condition?: unknown }[] {
  const statements: { Effect?: string; Action?: unknown; Resource?: unknown }[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    statements.push(...(policy.Properties.PolicyDocument.Statement as typeof statements));
  }
  for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
    for (const inline of (role.Properties.Policies ?? []) as {
      PolicyDocument: { Statement: typeof statements };
    }[]) {
      statements.push(...inline.PolicyDocument.Statement);
    }
  }
  return statements;
}

/** The logical id of the one resource of a type whose properties match. */
export function logicalId(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as string;
}
