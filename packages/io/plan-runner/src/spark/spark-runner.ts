import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PlanRunError } from '../errors.js';
import { jdbcArguments } from '../jdbc.js';
import type { PlanRunner } from '../plan-runner.js';
import type { SparkInstall } from './install.js';
import { sparkEnvironment, sparkSubmitArgs, type SparkRunOptions } from './submit-args.js';
import type { Logger } from '@streampulse/logging';

/**
 * What a Spark plan runner needs: the local Spark, the Glue runner script it runs unchanged, and
 * how Spark is run.
 *
 * @example
 * const options: SparkRunnerOptions = { spark: locateSpark('.cache/spark'), runnerScript: 'apps/glue-launcher/glue/runner.py', env: process.env };
 */
export interface SparkRunnerOptions extends SparkRunOptions {
  readonly spark: SparkInstall;
  readonly runnerScript: string;
  /** Told each line Spark prints, as an info entry with `source: 'spark'` (default: dropped). */
  readonly logger?: Logger;
  /**
   * One JVM for every run (default false: one `spark-submit` per run, as Glue starts one per
   * run). A resident JVM runs a plan in seconds instead of a JVM's start; the plans and the
   * runner are the same.
   */
  readonly resident?: boolean;
}

// The last lines of Spark's stderr, for the error of a run that failed before answering.
const TAIL_LINES = 40;

// A resident JVM is replaced after this many runs: each run's session leaves generated code and
// plan caches behind, and a 2 GB driver ran out of heap after some twenty ETL runs.
const RUNS_PER_JVM = 8;

const residentScript = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'python',
  'resident_runner.py',
);

/**
 * Runs job plans compiled for SPARK on a local Spark through the Glue runner script, against the
 * warehouse over JDBC and the lake through S3A (`s3://`) or the file system (`file://`).
 *
 * @example
 * const runner = new SparkPlanRunner({ spark: locateSpark('.cache/spark'), runnerScript, env: process.env });
 * await runner.run('s3://lake/scripts/glue/runs/streampulse-etl/ab12.json', databaseUrl);
 * await runner.close();
 */
export class SparkPlanRunner implements PlanRunner {
  readonly engine = 'spark';
  #resident?: ResidentSpark;
  #residentRuns = 0;

  constructor(private readonly options: SparkRunnerOptions) {}

  async run(planPath: string, databaseUrl: string): Promise<void> {
    const args = Object.entries({ '--plan_path': planPath, ...jdbcArguments(databaseUrl) }).flat();
    if (this.options.resident) {
      if (this.#residentRuns >= RUNS_PER_JVM) await this.close();
      this.#resident ??= new ResidentSpark(this.options);
      this.#residentRuns += 1;
      return this.#resident.run(args);
    }
    return submitOnce(this.options, args);
  }

  async close(): Promise<void> {
    const resident = this.#resident;
    this.#resident = undefined;
    this.#residentRuns = 0;
    await resident?.close();
  }
}

function submitRunner(options: SparkRunnerOptions, args: readonly string[]): ChildProcess {
  const { spark } = options;
  return spawn(spark.submit, [...sparkSubmitArgs(spark, options), options.runnerScript, ...args], {
    env: sparkEnvironment(spark, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** POSIX shell quoting, which PySpark's `shlex.split` of PYSPARK_SUBMIT_ARGS undoes. */
const shellQuote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * The resident runner under the environment's Python, which starts Spark's JVM itself from
 * PYSPARK_SUBMIT_ARGS: under spark-submit the script's stdin would not be connected.
 */
function startResident(options: SparkRunnerOptions): ChildProcess {
  const { spark } = options;
  const submitArgs = [...sparkSubmitArgs(spark, options), 'pyspark-shell'].map(shellQuote).join(' ');
  return spawn(spark.python, [residentScript, options.runnerScript], {
    env: { ...sparkEnvironment(spark, options.env), PYSPARK_SUBMIT_ARGS: submitArgs },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Keeps the last lines of a stream and hands each to `logger`. */
function tailOf(stream: NodeJS.ReadableStream, logger?: Logger, tail: string[] = []): string[] {
  createInterface({ input: stream }).on('line', (line) => {
    logger?.info(line, { source: 'spark' });
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  });
  return tail;
}

/** The Python error among Spark's last lines, else the lines themselves. */
function failureOf(tail: readonly string[]): string {
  const raised = [...tail].reverse().find((line) => /^\w+(\.\w+)*(Error|Exception): /.test(line));
  return raised ?? tail.slice(-5).join('\n');
}

async function submitOnce(options: SparkRunnerOptions, args: readonly string[]): Promise<void> {
  const child = submitRunner(options, args);
  // spark-submit prints the Python script's own output, its traceback too, on stdout.
  const tail = tailOf(child.stderr as NodeJS.ReadableStream, options.logger);
  tailOf(child.stdout as NodeJS.ReadableStream, options.logger, tail);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).catch((error: unknown) => {
    throw new PlanRunError('engine_missing', `cannot start ${options.spark.submit}`, { cause: error });
  });
  if (code !== 0) throw new PlanRunError('run_failed', `the Spark run failed: ${failureOf(tail)}`);
}

/** One spark-submit of `resident_runner.py` that runs plans one at a time, in order. */
class ResidentSpark {
  readonly #child: ChildProcess;
  readonly #answers: Interface;
  readonly #tail: string[];
  readonly #exited: Promise<void>;
  #queue: Promise<unknown> = Promise.resolve();
  #pending?: { resolve: (line: string) => void; reject: (error: Error) => void };

  constructor(options: SparkRunnerOptions) {
    this.#child = startResident(options);
    this.#tail = tailOf(this.#child.stderr as NodeJS.ReadableStream, options.logger);
    this.#answers = createInterface({ input: this.#child.stdout as NodeJS.ReadableStream });
    this.#answers.on('line', (line) => {
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.resolve(line);
    });
    this.#exited = new Promise((resolve) => {
      const gone = (why: string) => {
        const pending = this.#pending;
        this.#pending = undefined;
        pending?.reject(new PlanRunError('run_failed', `Spark ${why}: ${failureOf(this.#tail)}`));
        resolve();
      };
      this.#child.on('error', (error) => gone(`could not start (${error.message})`));
      this.#child.on('close', (code) => gone(`exited with status ${String(code)}`));
    });
  }

  run(args: readonly string[]): Promise<void> {
    const next = this.#queue.then(() => this.#send(args));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #send(args: readonly string[]): Promise<void> {
    const line = await new Promise<string>((resolve, reject) => {
      if (this.#child.exitCode !== null || this.#child.killed) {
        reject(new PlanRunError('run_failed', `Spark is gone: ${failureOf(this.#tail)}`));
        return;
      }
      this.#pending = { resolve, reject };
      this.#child.stdin?.write(`${JSON.stringify(args)}\n`);
    });
    const answer = JSON.parse(line) as { ok: boolean; error?: string };
    if (!answer.ok) throw new PlanRunError('run_failed', `the Spark run failed: ${answer.error ?? '?'}`);
  }

  async close(): Promise<void> {
    this.#child.stdin?.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 30_000);
    await this.#exited;
    clearTimeout(timer);
  }
}
