import type { SparkInstall } from './install.js';

/**
 * How a local Spark is run: its cores (`local[N]`), the driver's memory, and the lake's S3
 * settings (`AWS_ENDPOINT_URL_S3`, `AWS_REGION`; the keys are read by S3A from the child's
 * environment) from `env`.
 *
 * @example
 * const options: SparkRunOptions = { env: process.env, cores: 2 };
 */
export interface SparkRunOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Threads of `local[N]` (default 2). */
  readonly cores?: number;
  /** `--driver-memory` (default `2g`). */
  readonly driverMemory?: string;
}

/**
 * The `spark-submit` arguments (before the script) that make a local Spark behave as Glue's for
 * our plans: `s3://` read and written through S3A (a loopback endpoint path-style, when
 * `AWS_ENDPOINT_URL_S3` is set), the session and the JVM in UTC (as on Glue), no UI. (In a
 * lake folder Hadoop leaves `.crc` side files, which the lake's readers skip as hidden names.)
 *
 * @example
 * spawn(spark.submit, [...sparkSubmitArgs(spark, { env: process.env }), runnerScript, '--plan_path', path]);
 */
export function sparkSubmitArgs(spark: SparkInstall, options: SparkRunOptions): string[] {
  const { env } = options;
  const conf: Record<string, string> = {
    'spark.ui.enabled': 'false',
    'spark.sql.session.timeZone': 'UTC',
    'spark.driver.extraJavaOptions': '-Duser.timezone=UTC',
    'spark.executor.extraJavaOptions': '-Duser.timezone=UTC',
    // Small data on two cores: Spark's default of 200 shuffle partitions is mostly overhead.
    'spark.sql.shuffle.partitions': '4',
    'spark.pyspark.python': spark.python,
    'spark.pyspark.driver.python': spark.python,
    // Glue reads s3:// through EMRFS; here S3A stands in for it.
    'spark.hadoop.fs.s3.impl': 'org.apache.hadoop.fs.s3a.S3AFileSystem',
  };
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (endpoint) {
    conf['spark.hadoop.fs.s3a.endpoint'] = endpoint;
    conf['spark.hadoop.fs.s3a.path.style.access'] = 'true';
    conf['spark.hadoop.fs.s3a.connection.ssl.enabled'] = String(endpoint.startsWith('https:'));
  }
  if (env.AWS_REGION) conf['spark.hadoop.fs.s3a.endpoint.region'] = env.AWS_REGION;
  // Credentials stay in the environment (S3A's default chain reads AWS_ACCESS_KEY_ID and
  // AWS_SECRET_ACCESS_KEY), never on a command line that `ps` shows.
  return [
    '--master',
    `local[${options.cores ?? 2}]`,
    '--driver-memory',
    options.driverMemory ?? '2g',
    '--jars',
    spark.jars.join(','),
    ...Object.entries(conf).flatMap(([name, value]) => ['--conf', `${name}=${value}`]),
  ];
}

/**
 * The environment a `spark-submit` child runs in: the caller's, with Spark's home and Python.
 *
 * @example
 * spawn(spark.submit, args, { env: sparkEnvironment(spark, process.env) });
 */
export function sparkEnvironment(
  spark: SparkInstall,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  // Loopback only: Spark would otherwise bind its driver to the first interface it finds.
  return {
    ...result,
    SPARK_HOME: spark.sparkHome,
    PYSPARK_PYTHON: spark.python,
    SPARK_LOCAL_IP: '127.0.0.1',
    TZ: 'UTC',
  };
}
