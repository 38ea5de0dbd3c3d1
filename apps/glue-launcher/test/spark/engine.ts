import { join } from 'node:path';
import { SPARK } from '@streampulse/contract-sql';
import { startMotoS3, type TestS3 } from '@streampulse/test-servers';
import { localPlanRunner, SPARK_CACHE } from '@streampulse/glue/local';
import type { PlanEngine } from '../plan-runs.js';

/**
 * The local Spark (`npm run spark:setup`) running the Glue runner, one JVM for the whole file.
 * `SPARK_LOG=1` shows Spark's own lines.
 *
 * @example
 * describeGoldenPlans('Spark', sparkEngine, sparkS3);
 */
export function sparkEngine(env: Record<string, string>): PlanEngine {
  const log = process.env.SPARK_LOG ? (line: string) => console.error(line) : undefined;
  return {
    runner: localPlanRunner('spark', { env, resident: true, ...(log ? { log } : {}) }),
    dialect: SPARK,
  };
}

/** The loopback S3 Spark's S3A can write to: moto's server, installed by `npm run spark:setup`. */
export const sparkS3 = (): Promise<TestS3> => startMotoS3(join(SPARK_CACHE, 'venv', 'bin', 'moto_server'));
