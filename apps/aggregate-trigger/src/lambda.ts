import { createGlueClient, GlueJobLauncher, lakeRootOfOutputPath, planAggregateRun } from '@streampulse/glue';
import { openLake } from '@streampulse/lake';
import { createS3Client } from '@streampulse/lake/s3';
import { jsonLineLogger } from '@streampulse/logging';
import { readAggregateTriggerConfig } from './config.js';
import { AggregateTriggerError } from './errors.js';
import { createHandler, type AggregateTriggerHandler } from './handler.js';

let built: AggregateTriggerHandler | undefined;

/**
 * The Lambda entry point (`index.handler` of the bundle): builds the Glue launcher, the S3 client
 * and settings from the environment on the first event, then delegates to {@link createHandler}.
 * The run gets a plan compiled for its days (`planAggregateRun`) in the lake `OUTPUT_PATH` lies
 * in. The Glue client makes one attempt per call because the handler does the retrying, within
 * the invocation's time.
 *
 * @example
 * await handler({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2025-03-14T20:30:00Z' }, context);
 */
export const handler: AggregateTriggerHandler = (event, context) => {
  if (!built) {
    const config = readAggregateTriggerConfig(process.env);
    let lakeRoot: string;
    try {
      lakeRoot = lakeRootOfOutputPath(config.outputPath);
    } catch (error) {
      // The plan's outputs are lake places, so OUTPUT_PATH must name where the lake is.
      throw new AggregateTriggerError(
        'config',
        `OUTPUT_PATH must end with analytics/daily_aggregates/, got ${config.outputPath}`,
        { cause: error },
      );
    }
    const lake = openLake(lakeRoot, { s3Client: createS3Client(process.env) });
    built = createHandler({
      launcher: new GlueJobLauncher(createGlueClient(process.env, { maxAttempts: 1 })),
      // Structured JSON, one object per line, with the time and the invocation's request id.
      logger: jsonLineLogger((line) => console.log(line), {
        now: () => new Date(),
        fields: { service: 'streampulse-aggregate-trigger' },
      }),
      config,
      planRun: async (run) =>
        (await planAggregateRun({ lake }, { jobName: config.jobName, ...run })).planPath,
    });
  }
  return built(event, context);
};
