import { App } from 'aws-cdk-lib';
import { stackContext } from './settings.js';
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
 * region or context lookups (the deploy takes them from the AWS profile). The stack's settings
 * are the app's context: `context` here, plus what the CDK CLI passes (`cdk.json`, `-c`), unless
 * `stack.settings` gives them directly.
 *
 * @example
 * createApp({ outdir: 'cdk.out', context: { alarmEmail: 'oncall@example.com' } }).app.synth();
 */
export function createApp(
  options: { outdir?: string; context?: Record<string, unknown>; stack?: StreamPulseStackProps } = {},
): {
  app: App;
  stack: StreamPulseStack;
} {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      // Server access logs reach their bucket through a bucket policy, not the deprecated ACL.
      '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
      ...options.context,
    },
    // Keeps synth offline and the template free of the CDK metadata resource.
    analyticsReporting: false,
  });
  const stack = new StreamPulseStack(app, STACK_NAME, {
    description: 'StreamPulse: OTT playback pipeline (S3, Lambda, Glue, RDS PostgreSQL, Athena)',
    settings: stackContext(app.node.getAllContext()),
    ...options.stack,
  });
  return { app, stack };
}
