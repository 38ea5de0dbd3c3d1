import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PlanRunError } from '../errors.js';

/**
 * A local Spark as `npm run spark:setup` leaves it: PySpark in a virtual environment, and the jars
 * Glue puts beside it (PostgreSQL's JDBC driver, Hadoop's S3A and its AWS SDK bundle).
 *
 * @example
 * const spark: SparkInstall = locateSpark('.cache/spark');
 * spark.submit; // '.cache/spark/venv/lib/python3.11/site-packages/pyspark/bin/spark-submit'
 */
export interface SparkInstall {
  /** PySpark's package folder, which is a Spark home. */
  readonly sparkHome: string;
  /** `spark-submit` of that home. */
  readonly submit: string;
  /** The virtual environment's Python, for the driver and the workers. */
  readonly python: string;
  /** Absolute paths of the jars to put on the class path. */
  readonly jars: readonly string[];
}

/**
 * Finds the Spark that `npm run spark:setup` installed under `cacheDir`; `PlanRunError`
 * `engine_missing` (naming the set-up command) when it is not there.
 *
 * @example
 * const spark = locateSpark(join(repositoryRoot, '.cache', 'spark'));
 */
export function locateSpark(cacheDir: string): SparkInstall {
  const root = resolve(cacheDir);
  const missing = (what: string) =>
    new PlanRunError('engine_missing', `no local Spark: ${what} (run \`npm run spark:setup\` first)`);
  if (!existsSync(join(root, 'ready'))) throw missing(`${root} is not set up`);
  const lib = join(root, 'venv', 'lib');
  const python = readdirSync(lib).find((name) => name.startsWith('python'));
  const sparkHome = python ? join(lib, python, 'site-packages', 'pyspark') : '';
  if (!python || !existsSync(join(sparkHome, 'bin', 'spark-submit')))
    throw missing(`no PySpark in ${root}/venv`);
  const jarDir = join(root, 'jars');
  const jars = readdirSync(jarDir)
    .filter((name) => name.endsWith('.jar'))
    .sort()
    .map((name) => join(jarDir, name));
  return {
    sparkHome,
    submit: join(sparkHome, 'bin', 'spark-submit'),
    python: join(root, 'venv', 'bin', 'python'),
    jars,
  };
}
