import { App } from 'aws-cdk-lib';
import { StreamPulseStack, type StreamPulseStackProps } from './stack.js';

/**
 * Name of the one stack; the deploy scripts read its outputs.
 *
 * @example
 * await stackOutput(cloudFormation, STACK_NAME, 'EtlTriggerFunctionName');
 */
export const STACK_NAME = 'StreamPulse';

/**
 * The CDK app: one {@link StreamPulseStack}, environment-agnostic so synth needs no account,
 * region or context lookups (the deploy takes them from the AWS profile).
 *
 * @example
 * createApp({ outdir: 'cdk.out' }).synth();
 */
export function createApp(options: { outdir?: string; stack?: StreamPulseStackProps } = {}): {
  app: App;
  stack: StreamPulseStack;
} {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    // Keeps synth offline and the template free of the CDK metadata resource.
    analyticsReporting: false,
  });
  const stack = new StreamPulseStack(app, STACK_NAME, {
    description: 'StreamPulse: OTT playback pipeline (S3, Lambda, Glue, RDS PostgreSQL, Athena)',
    ...options.stack,
  });
  return { app, stack };
}
