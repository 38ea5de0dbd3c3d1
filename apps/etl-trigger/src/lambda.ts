import { createGlueClient, GlueJobLauncher, planEtlRun } from '@streampulse/glue';
import { openLake } from '@streampulse/lake';
import { createS3Client } from '@streampulse/lake/s3';
import { jsonLineLogger } from '@streampulse/logging';
import { createEtlTriggerHandler, type EtlTriggerHandler } from '@streampulse/triggers';
import { readEtlTriggerConfig } from './config.js';

let built: EtlTriggerHandler | undefined;

/**
 * The Lambda entry point (`index.handler` of the bundle): builds the Glue launcher, the S3 client
 * and settings from the environment on the first event, then delegates to `createEtlTriggerHandler`.
 * Each run gets a plan compiled for its object with the configured contract settings
 * (`planEtlRun`, lake root `s3://<bucket>`). The Glue
 * client makes one attempt per call because the handler does the retrying, within the
 * invocation's time.
 *
 * @example
 * // ETL_JOB_NAME=streampulse-etl node -e "import('./dist/index.mjs').then((m) => m.handler(event, context))"
 * await handler(event, context);
 */
export const handler: EtlTriggerHandler = (event, context) => {
  if (!built) {
    const config = readEtlTriggerConfig(process.env);
    const s3 = createS3Client(process.env);
    built = createEtlTriggerHandler({
      launcher: new GlueJobLauncher(createGlueClient(process.env, { maxAttempts: 1 })),
      // Structured JSON, one object per line, with the time and the invocation's request id.
      logger: jsonLineLogger((line) => console.log(line), {
        now: () => new Date(),
        fields: { service: 'streampulse-etl-trigger' },
      }),
      config,
      planRun: async (object) =>
        (
          await planEtlRun(
            { lake: openLake(`s3://${object.bucket}`, { s3Client: s3 }) },
            {
              jobName: config.jobName,
              inputKey: object.key,
              playbackPrefix: config.playbackPrefix,
              settings: config.settings,
            },
          )
        ).planPath,
    });
  }
  return built(event, context);
};
