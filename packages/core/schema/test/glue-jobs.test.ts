import { describe, expect, it } from 'vitest';
import { glueJobDefinitions, glueWorkerCountSchema, glueWorkerTypeSchema } from '../src/index.js';

const options = { connectionName: 'streampulse-postgres', tempDir: 's3://lake/tmp/glue/' };

describe('the Glue job definitions', () => {
  it('run the one runner on Glue 5.0, ETL ten at a time and aggregation one, both queued', () => {
    const { etl, aggregate } = glueJobDefinitions(options);
    for (const job of [etl, aggregate]) {
      expect(job).toMatchObject({
        command: { name: 'glueetl', pythonVersion: '3' },
        script: 'runner.py',
        glueVersion: '5.0',
        workerType: 'G.1X',
        numberOfWorkers: 2,
        jobRunQueuingEnabled: true,
        maxRetries: 0,
      });
    }
    expect([etl.name, etl.maxConcurrentRuns]).toEqual(['streampulse-etl', 10]);
    expect([aggregate.name, aggregate.maxConcurrentRuns]).toEqual(['streampulse-aggregate', 1]);
  });

  it('give only the connection the runner reads and Glue flags as default arguments, no plan', () => {
    expect(glueJobDefinitions(options).etl.defaultArguments).toEqual({
      '--job-language': 'python',
      '--connection_name': 'streampulse-postgres',
      '--TempDir': 's3://lake/tmp/glue/',
      '--enable-metrics': 'true',
      '--enable-continuous-cloudwatch-log': 'true',
      '--job-bookmark-option': 'job-bookmark-disable',
    });
  });

  it('take names, workers and ETL concurrency as settings', () => {
    const { etl, aggregate } = glueJobDefinitions({
      ...options,
      etlJobName: 'etl-b',
      aggregateJobName: 'agg-b',
      workerType: 'G.2X',
      numberOfWorkers: 5,
      etlMaxConcurrentRuns: 3,
    });
    expect([etl.name, etl.workerType, etl.numberOfWorkers, etl.maxConcurrentRuns]).toEqual([
      'etl-b',
      'G.2X',
      5,
      3,
    ]);
    expect([aggregate.name, aggregate.maxConcurrentRuns]).toEqual(['agg-b', 1]);
  });

  it('accept Spark worker types and at least two workers only', () => {
    expect(glueWorkerTypeSchema.safeParse('G.025X').success).toBe(false);
    expect(glueWorkerTypeSchema.safeParse('G.8X').success).toBe(true);
    expect(glueWorkerCountSchema.safeParse(1).success).toBe(false);
    expect(glueWorkerCountSchema.safeParse(2).success).toBe(true);
  });
});
