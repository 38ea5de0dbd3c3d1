import { dirname, join } from 'node:path';
import { resolveDatabase } from '@streampulse/embedded-postgres';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { GlueClient } from '@aws-sdk/client-glue';
import { repositoryGoldenCases } from '@streampulse/acceptance';
import { isExpectedError } from '@streampulse/errors';
import { openLake, type Lake } from '@streampulse/lake';
import { textLineLogger } from '@streampulse/logging';
import { GLUE_JOB_NAMES } from '@streampulse/schema';
import { formatSmokeTable, runSmoke, type SmokeSource } from '../smoke.js';
import { warehouseSmokeSource } from '../smoke-source.js';
import {
  createGlueClient,
  describeRun,
  GlueJobLauncher,
  GlueLauncherError,
  type JobLauncher,
  type JobRunStatus,
  type LauncherClock,
} from '@streampulse/glue';
import {
  dialectOf,
  localPlanRunner,
  PlanJobLauncher,
  planLocalRun,
  type LocalBackend,
} from '@streampulse/glue/local';
import { jdbcArguments } from '@streampulse/plan-runner';

/**
 * What the CLI touches outside itself; tests pass their own.
 *
 * @example
 * const io: LauncherIo = { env: process.env, stdout: process.stdout, stderr: process.stderr };
 */
export interface LauncherIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Builds the Glue client (default: `createGlueClient(env, { region })`). */
  glue?: (region: string | undefined) => GlueClient;
  clock?: LauncherClock;
  /** Opens a lake root (default: `openLake(root, { env })`). */
  lake?: (root: string) => Lake;
  /** (smoke) The launcher to run jobs with (default: Glue). */
  launcher?: JobLauncher;
  /** (smoke) Where results are read back (default: `warehouseSmokeSource`). */
  smokeSource?: (databaseUrl: string, lakeFor: (root: string) => Lake) => Promise<SmokeSource>;
}

const usage = `Usage: glue-launcher start <job-name> [--arg NAME=VALUE ...] [--wait] [options]
       glue-launcher wait <job-name> <run-id> [options]
       glue-launcher smoke --lake s3://bucket[/prefix] --database-url <url> [--case <dir> ...]

Starts a Glue job run (StartJobRun) and waits for it (GetJobRun, polled with backoff), printing
its state, how long it ran and, when it failed, Glue's error message.

Backends:
  glue    AWS Glue (default); AWS_ENDPOINT_URL_GLUE points it at another endpoint
  spark   this machine's Spark (Glue 5.0's 3.5.4, from \`npm run spark:setup\`) running the Glue
          runner script itself under spark-submit --master local[2]
  duckdb  the same plan on DuckDB, in this process
  With spark or duckdb, start plans the run exactly as the trigger Lambdas do (the same
  function and inputs, compiled for that engine, stored under <lake>/scripts/glue/runs/) and
  runs that plan against --lake (a folder, or s3://bucket[/prefix]; AWS_ENDPOINT_URL_S3 points
  at another S3 endpoint) and --database-url (default $DATABASE_URL, else the embedded
  server); it always waits. The arguments: --arg input_path=s3://bucket/raw/playback/<file>
  (an ETL run of that object; the bucket of a folder lake is any name), or --arg
  run_date=YYYY-MM-DD [--arg lookback_days=N] (an aggregation run).

Options:
  --arg NAME=VALUE         a job argument, NAME with or without its leading -- (repeatable)
  --wait                   (start) wait for the run to end
  --backend <glue|spark|duckdb>  default glue
  --region <region>        (glue) AWS region (default: the SDK's, e.g. $AWS_REGION)
  --lake <dir|s3://…>      (spark, duckdb) the lake (required)
  --database-url <url>     (spark, duckdb) PostgreSQL URL
  --timeout-seconds <n>    longest wait (default 3600)

smoke: per golden case, uploads lake/raw/** under <lake>/smoke/<run-id>/<case>/, runs the ETL
job per playback file and the aggregation job per expected day (each with its own compiled
plan), reads back processed_data (--database-url, a scratch database: it is emptied per case),
the aggregate objects, the recorded days and the rejected rows, and compares them with expected/.
Exit status 1 on any difference.
  --case <dir>             a golden case folder (repeatable; default every golden case
                           of this repository)
  --run-id <id>            default the current time
  --etl-job <name>         default streampulse-etl
  --aggregate-job <name>   default streampulse-aggregate
  --json                   print the run as one JSON object
  -h, --help               show this help

Exit status: 0 the run started (start) or SUCCEEDED (wait, start --wait); 1 otherwise.
`;

const options = {
  arg: { type: 'string', multiple: true },
  wait: { type: 'boolean' },
  backend: { type: 'string' },
  region: { type: 'string' },
  lake: { type: 'string' },
  'database-url': { type: 'string' },
  'timeout-seconds': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'etl-job': { type: 'string' },
  'aggregate-job': { type: 'string' },
  case: { type: 'string', multiple: true },
  'run-id': { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function usageError(message: string): GlueLauncherError {
  return new GlueLauncherError('usage', `${message} (see --help)`);
}

function parse(args: readonly string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
}

function jobArguments(pairs: readonly string[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw usageError(`--arg must be NAME=VALUE, got ${JSON.stringify(pair)}`);
    const name = pair.slice(0, equals).replace(/^(--)?/, '--');
    result[name] = pair.slice(equals + 1);
  }
  return result;
}

function timeoutMs(value: string | undefined): number {
  if (value === undefined) return 3_600_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw usageError(`--timeout-seconds must be a positive number, got ${JSON.stringify(value)}`);
  }
  return seconds * 1000;
}

interface Launch {
  launcher: JobLauncher;
  /** The arguments the run starts with: a local backend plans the run first. */
  arguments: (jobName: string, args: Record<string, string>) => Promise<Record<string, string>>;
  close: () => Promise<void>;
}

async function launchFor(values: Values, io: LauncherIo): Promise<Launch> {
  const backend = values.backend ?? 'glue';
  if (backend === 'spark' || backend === 'duckdb') {
    if (!values.lake) throw usageError(`--lake is required with --backend ${backend}`);
    const lake = openLake(values.lake, { env: io.env });
    const database = await resolveDatabase({
      ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
      env: io.env,
      embeddedDir: join(process.cwd(), '.streampulse', 'postgres'),
      logger: textLineLogger((line) => io.stderr.write(`${line}\n`)),
    });
    const runner = localPlanRunner(backend satisfies LocalBackend, { env: io.env });
    return {
      launcher: new PlanJobLauncher(runner, { databaseUrl: database.url }),
      arguments: async (jobName, args) => {
        const plan = await planLocalRun(lake, jobName, args, backend);
        io.stderr.write(`plan ${plan.planPath} (${dialectOf(backend).name})\n`);
        return { '--plan_path': plan.planPath };
      },
      close: async () => {
        await runner.close();
        await database.close();
      },
    };
  }
  if (backend !== 'glue') {
    throw usageError(`--backend must be glue, spark or duckdb, got ${JSON.stringify(backend)}`);
  }
  const client = (io.glue ?? ((region) => createGlueClient(io.env, region ? { region } : {})))(values.region);
  return {
    launcher: new GlueJobLauncher(client, io.clock),
    arguments: async (_, args) => args,
    close: async () => client.destroy(),
  };
}

function print(io: LauncherIo, values: Values, status: JobRunStatus): void {
  io.stdout.write(values.json ? `${JSON.stringify(status)}\n` : `${describeRun(status)}\n`);
}

async function run(command: 'start' | 'wait', values: Values, positionals: string[], io: LauncherIo) {
  const [jobName, runId, ...extra] = positionals;
  if (!jobName) throw usageError('the job name is required');
  if (extra.length > 0 || (command === 'start' && runId !== undefined)) {
    throw usageError(`unexpected argument ${JSON.stringify(command === 'start' ? runId : extra[0])}`);
  }
  const wait = { timeoutMs: timeoutMs(values['timeout-seconds']) };
  const requested = jobArguments(values.arg);
  if (command === 'wait' && values.backend !== undefined && values.backend !== 'glue') {
    throw usageError('a local run lives in one process: use start');
  }
  const { launcher, arguments: argumentsOf, close } = await launchFor(values, io);
  try {
    if (command === 'wait') {
      if (!runId) throw usageError('the run id is required');
      const status = await launcher.wait({ jobName, runId }, wait);
      print(io, values, status);
      return status.state === 'SUCCEEDED' ? 0 : 1;
    }
    const started = await launcher.start({ jobName, arguments: await argumentsOf(jobName, requested) });
    if (!values.wait && launcher.backend === 'glue') {
      io.stdout.write(
        values.json ? `${JSON.stringify(started)}\n` : `started ${started.jobName} run ${started.runId}\n`,
      );
      return 0;
    }
    if (!values.json) io.stderr.write(`started ${started.jobName} run ${started.runId}; waiting\n`);
    const status = await launcher.wait(started, wait);
    print(io, values, status);
    return status.state === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await close();
  }
}

function s3Lake(values: Values): string {
  const lake = values.lake;
  if (!lake || !/^s3:\/\/[^/]+/.test(lake)) throw usageError('--lake s3://bucket[/prefix] is required');
  return lake.replace(/\/+$/, '');
}

function lakeOpener(io: LauncherIo): (root: string) => Lake {
  return io.lake ?? ((root) => openLake(root, { env: io.env }));
}

function glueClient(values: Values, io: LauncherIo): GlueClient {
  return (io.glue ?? ((region) => createGlueClient(io.env, region ? { region } : {})))(values.region);
}

/** The repository's golden cases, found from this file (the bin runs from source). */
function defaultCases(): string[] {
  const cases = repositoryGoldenCases(dirname(fileURLToPath(import.meta.url)));
  if (cases.length === 0) throw usageError('no golden cases in this repository: pass --case <dir>');
  return cases.map((c) => c.dir);
}

async function runSmokeCommand(values: Values, positionals: string[], io: LauncherIo): Promise<number> {
  if (positionals.length > 0) throw usageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const lakeRoot = s3Lake(values);
  const databaseUrl = values['database-url'] ?? io.env.DATABASE_URL;
  if (!databaseUrl) throw usageError('--database-url is required (the warehouse the Glue jobs write to)');
  const jobArguments = jdbcArguments(databaseUrl);
  const cases = values.case ?? defaultCases();
  const runId = values['run-id'] ?? new Date().toISOString().replace(/[-:.]/g, '').toLowerCase();
  const lakeFor = lakeOpener(io);
  const client = io.launcher ? undefined : glueClient(values, io);
  const launcher = io.launcher ?? new GlueJobLauncher(client as GlueClient, io.clock);
  const source = await (io.smokeSource ?? warehouseSmokeSource)(databaseUrl, lakeFor);
  try {
    const checks = await runSmoke(
      {
        launcher,
        lakeFor,
        source,
        logger: textLineLogger((line) => io.stderr.write(`${line}\n`)),
        waitTimeoutMs: timeoutMs(values['timeout-seconds']),
      },
      {
        lakeRoot,
        runId,
        cases,
        etlJob: values['etl-job'] ?? GLUE_JOB_NAMES.etl,
        aggregateJob: values['aggregate-job'] ?? GLUE_JOB_NAMES.aggregate,
        jobArguments,
      },
    );
    io.stdout.write(values.json ? `${JSON.stringify(checks)}\n` : formatSmokeTable(checks));
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    await source.close();
    client?.destroy();
  }
}

/**
 * The `glue-launcher` entry point: `start` a run, `wait` for one, `smoke`-test the jobs on the
 * golden cases (the jobs themselves are the infra stack's). Every failure is one line on
 * stderr and exit status 1.
 *
 * @example
 * process.exitCode = await main(['start', 'streampulse-etl', '--arg', 'input_path=s3://lake/raw/playback/a.csv'], io);
 */
export async function main(argv: readonly string[], io: LauncherIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(usage);
    return 0;
  }
  if (command === 'deploy') {
    // The command that used to redefine the jobs: say where they are defined now.
    io.stderr.write(
      "glue-launcher: deploy is gone: the Glue jobs and their runner are the infra stack's (npm run deploy -w apps/infra, see docs/deploy.md)\n",
    );
    return 1;
  }
  if (command !== 'start' && command !== 'wait' && command !== 'smoke') {
    io.stderr.write(
      `${command === undefined ? '' : `glue-launcher: unknown command ${JSON.stringify(command)}\n\n`}${usage}`,
    );
    return 1;
  }
  try {
    const { values, positionals } = parse(args);
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    if (command === 'smoke') return await runSmokeCommand(values, positionals, io);
    return await run(command, values, positionals, io);
  } catch (error) {
    // A failure we foresaw (bad input, settings, an unreachable service) is one line; the base
    // error type says which, whatever package threw it.
    if (isExpectedError(error)) {
      io.stderr.write(`glue-launcher ${command}: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(`glue-launcher ${command}: unexpected error (a bug; please report it):\n`);
    io.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
