import { z } from 'zod';
import { LAKE_LAYOUT } from './layout.js';
import { WAREHOUSE_TABLES } from './warehouse-tables.js';

/**
 * Worker types a Glue 5.0 Spark (`glueetl`) job takes.
 *
 * @example
 * glueWorkerTypeSchema.parse('G.2X'); // 'G.2X'
 */
export const glueWorkerTypeSchema = z.enum(['G.1X', 'G.2X', 'G.4X', 'G.8X']);
export type GlueWorkerType = z.infer<typeof glueWorkerTypeSchema>;

/** Glue refuses fewer than two workers for a Spark job (one driver, one executor). */
export const glueWorkerCountSchema = z.number().int().min(2).max(299);

/** The two jobs of the pipeline. */
export type GlueJobKind = 'etl' | 'aggregate';

/**
 * Everything a Glue job of the pipeline is, whoever creates it: the stack declares exactly this,
 * and tools that start runs take the names from here.
 *
 * @example
 * const etl: GlueJobDefinition = glueJobDefinitions({ connectionName: 'streampulse-postgres', tempDir: 's3://lake/tmp/glue/' }).etl;
 */
export interface GlueJobDefinition {
  readonly kind: GlueJobKind;
  readonly name: string;
  readonly description: string;
  /** Spark (`glueetl`) on Python 3: the runner is a PySpark script. */
  readonly command: { readonly name: 'glueetl'; readonly pythonVersion: '3' };
  /** The one script both jobs run; each run's plan says what it does. */
  readonly script: string;
  /** Spark 3.5.4, Python 3.11, Java 17. */
  readonly glueVersion: '5.0';
  readonly workerType: GlueWorkerType;
  readonly numberOfWorkers: number;
  readonly maxConcurrentRuns: number;
  /** Runs over `maxConcurrentRuns` wait in Glue's queue instead of failing. */
  readonly jobRunQueuingEnabled: true;
  readonly timeoutMinutes: number;
  /** A failed run is not retried by Glue: the alarm fires and the operator reruns it. */
  readonly maxRetries: 0;
  /** What every run gets unless it passes its own: the runner's and Glue's, nothing else. */
  readonly defaultArguments: Readonly<Record<string, string>>;
}

/**
 * What the job definitions depend on: the Glue connection to the warehouse, Glue's scratch folder,
 * and the settings an operator may change.
 *
 * @example
 * const options: GlueJobOptions = { connectionName: 'streampulse-postgres', tempDir: 's3://lake/tmp/glue/', workerType: 'G.2X' };
 */
export interface GlueJobOptions {
  connectionName: string;
  /** `s3://bucket/tmp/glue/`: Glue's `--TempDir`. */
  tempDir: string;
  etlJobName?: string;
  aggregateJobName?: string;
  workerType?: GlueWorkerType;
  numberOfWorkers?: number;
  /** ETL runs at once (one per playback file); more wait in the queue. */
  etlMaxConcurrentRuns?: number;
}

/** The default job names; the trigger Lambdas and the CLI tools take them from here. */
export const GLUE_JOB_NAMES: Readonly<Record<GlueJobKind, string>> = {
  etl: 'streampulse-etl',
  aggregate: 'streampulse-aggregate',
};

/** The runner's file name: `apps/glue-launcher/glue/runner.py`. */
export const GLUE_RUNNER_SCRIPT = 'runner.py';

/**
 * Both Glue jobs. Their default arguments are the Glue connection the runner reads the warehouse
 * from (`--connection_name`) and Glue's own flags; there is no default `--plan_path`, so a run
 * started without a plan of its own fails instead of doing nothing.
 *
 * @example
 * const { etl, aggregate } = glueJobDefinitions({ connectionName: 'streampulse-postgres', tempDir: 's3://lake/tmp/glue/' });
 * etl.maxConcurrentRuns; // 10
 * aggregate.defaultArguments['--connection_name']; // 'streampulse-postgres'
 */
export function glueJobDefinitions(options: GlueJobOptions): Record<GlueJobKind, GlueJobDefinition> {
  const defaultArguments = {
    '--job-language': 'python',
    '--connection_name': options.connectionName,
    '--TempDir': options.tempDir,
    '--enable-metrics': 'true',
    '--enable-continuous-cloudwatch-log': 'true',
    // Each run's plan names its inputs; bookmarks would skip a file a rerun must read again.
    '--job-bookmark-option': 'job-bookmark-disable',
  };
  const common = {
    command: { name: 'glueetl', pythonVersion: '3' },
    script: GLUE_RUNNER_SCRIPT,
    glueVersion: '5.0',
    workerType: options.workerType ?? 'G.1X',
    numberOfWorkers: options.numberOfWorkers ?? 2,
    jobRunQueuingEnabled: true,
    timeoutMinutes: 60,
    maxRetries: 0,
    defaultArguments,
  } as const;
  return {
    etl: {
      ...common,
      kind: 'etl',
      name: options.etlJobName ?? GLUE_JOB_NAMES.etl,
      description: `StreamPulse ETL: one playback file under ${LAKE_LAYOUT.playback} into ${WAREHOUSE_TABLES.processed}`,
      maxConcurrentRuns: options.etlMaxConcurrentRuns ?? 10,
    },
    aggregate: {
      ...common,
      kind: 'aggregate',
      name: options.aggregateJobName ?? GLUE_JOB_NAMES.aggregate,
      description: `StreamPulse aggregation: days of processed_data into ${LAKE_LAYOUT.dailyEngagement} and ${LAKE_LAYOUT.dailyActiveUsers}`,
      // Runs of overlapping days would replace each other's objects: one at a time.
      maxConcurrentRuns: 1,
    },
  };
}
