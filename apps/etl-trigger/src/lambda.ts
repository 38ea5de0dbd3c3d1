import { createGlueClient, GlueJobLauncher } from '@streampulse/glue-launcher';
import { readEtlTriggerConfig } from './config.js';
import { createHandler, type EtlTriggerHandler } from './handler.js';

let built: EtlTriggerHandler | undefined;

/**
 * The Lambda entry point (`index.handler` of the bundle): builds the Glue launcher and settings
 * from the environment on the first event, then delegates to {@link createHandler}. The SDK makes
 * one attempt per call because the handler does the retrying, within the invocation's time.
 *
 * @example
 * // ETL_JOB_NAME=streampulse-etl node -e "import('./dist/index.mjs').then((m) => m.handler(event, context))"
 * await handler(event, context);
 */
export const handler: EtlTriggerHandler = (event, context) => {
  built ??= createHandler({
    launcher: new GlueJobLauncher(createGlueClient(process.env, { maxAttempts: 1 })),
    config: readEtlTriggerConfig(process.env),
  });
  return built(event, context);
};
