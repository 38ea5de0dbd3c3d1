import { createGlueClient, GlueJobLauncher } from '@streampulse/glue-launcher';
import { readAggregateTriggerConfig } from './config.js';
import { createHandler, type AggregateTriggerHandler } from './handler.js';

let built: AggregateTriggerHandler | undefined;

/**
 * The Lambda entry point (`index.handler` of the bundle): builds the Glue launcher and settings
 * from the environment on the first event, then delegates to {@link createHandler}. The SDK makes
 * one attempt per call because the handler does the retrying, within the invocation's time.
 *
 * @example
 * await handler({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2025-03-14T20:30:00Z' }, context);
 */
export const handler: AggregateTriggerHandler = (event, context) => {
  built ??= createHandler({
    launcher: new GlueJobLauncher(createGlueClient(process.env, { maxAttempts: 1 })),
    config: readAggregateTriggerConfig(process.env),
  });
  return built(event, context);
};
