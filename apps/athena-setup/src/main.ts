import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AthenaClient } from '@aws-sdk/client-athena';
import {
  AnalyticsSqlError,
  athenaScript,
  athenaStatements,
  type AggregateFileFormat,
  type AthenaStatement,
} from '@streampulse/analytics-sql';
import {
  formatSmokeTable,
  readGoldenCase,
  repositoryGoldenCases,
  type GoldenCase,
} from '@streampulse/acceptance';
import { LakeError, openLake, parseLakeRoot, type Lake } from '@streampulse/lake';
import { textLineLogger } from '@streampulse/logging';
import { compileAthenaAggregateUnloads, SqlPlanError } from '@streampulse/contract-sql';
import { backfillAggregates, daysFromTo } from './backfill-aggregates.js';
import { runAthenaSmoke } from './smoke.js';
import { AthenaSetupError } from './errors.js';
import { runAthenaStatement, type PollClock, type RunStatementsOptions } from './run-statements.js';

/**
 * What the app touches outside itself; tests pass their own.
 *
 * @example
 * const io: SetupIo = { stdout: process.stdout, stderr: process.stderr };
 */
export interface SetupIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Builds the Athena client (default: the AWS SDK's usual credential and region chain). */
  athena?: (region: string | undefined) => AthenaClient;
  clock?: PollClock;
  /** Settings for the S3 client that clears partitions (pass `process.env`). */
  env?: Record<string, string | undefined>;
  /** Opens the lake at an `s3://` root (default: `openLake` with `env`). */
  lake?: (root: string) => Lake;
}

const usage = `Usage: athena-setup <print|apply|backfill-aggregates|smoke> --lake s3://bucket[/prefix] [options]

Declares the StreamPulse tables daily_engagement and daily_active_users (partition projection
on integer year/month/day: no crawler, no MSCK REPAIR) and the seven dashboard views in Athena,
database streampulse; and recomputes daily aggregates in Athena, serverless.

Commands:
  print                 print the statements (paste them into the Athena console)
  apply                 run them in Athena, one after the other, stopping at the first failure
  backfill-aggregates   recompute the days --from..--to in Athena, one day after the other: empty
                        the day's two partitions, then UNLOAD both tables (Parquet) from the
                        processed table with the compiled aggregation SQL. Reruns replace a day.
                        A failure names the day it left incomplete; the days before it are done.
  smoke                 prove the Athena aggregation SQL in your account: per golden case, the
                        expected processed rows go to <lake>/smoke/<run-id>/<case>/ as Parquet,
                        a table over them in database streampulse_smoke, every expected day runs
                        through backfill-aggregates, and what Athena wrote is compared with the
                        expected files; prints a table, exits 1 on any difference

Options:
  --lake <s3://bucket[/prefix]>   the lake root the aggregation job writes to (required)
  --format <parquet|csv>          the format the aggregation job writes (default parquet)
  --years <first-last>            years partition projection covers (default 2020-2035)
  --workgroup <name>              Athena workgroup (apply, backfill-aggregates; required)
  --output-location <s3://...>    query result location (default: the workgroup's)
  --region <region>               AWS region (default: the SDK's, e.g. $AWS_REGION)
  --timeout-seconds <n>           longest wait for one statement (default 300)
  --processed-table <name>        backfill-aggregates: the processed rows as Athena sees them,
                                  [catalog.][schema.]table, e.g. the warehouse through an Athena
                                  PostgreSQL connector: pg.processed.processed_data (required)
  --from <YYYY-MM-DD>             backfill-aggregates: first day (required)
  --to <YYYY-MM-DD>               backfill-aggregates: last day, included (default --from)
  --dry-run                       backfill-aggregates: print the prefixes it would clear and the
                                  statements it would run; touch nothing
  --concurrency <n>               backfill-aggregates: days in flight at once (default 1; keep it
                                  within the workgroup's DML query quota)
  --case <dir>                    smoke: a golden case folder (repeatable; default every golden
                                  case of this repository)
  --run-id <id>                   smoke: names the run's prefix (default the time, e.g. 20251126t071500z)
  -h, --help                      show this help

S3 (clearing partitions) uses the SDK's usual settings: AWS_REGION, AWS_ENDPOINT_URL_S3, keys.
`;

const COMMANDS = ['print', 'apply', 'backfill-aggregates', 'smoke'] as const;

const options = {
  lake: { type: 'string' },
  format: { type: 'string' },
  years: { type: 'string' },
  workgroup: { type: 'string' },
  'output-location': { type: 'string' },
  region: { type: 'string' },
  'timeout-seconds': { type: 'string' },
  'processed-table': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'dry-run': { type: 'boolean' },
  case: { type: 'string', multiple: true },
  'run-id': { type: 'string' },
  concurrency: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies NonNullable<ParseArgsConfig['options']>;

type Values = ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];

function parse(args: readonly string[]): Values {
  try {
    return parseArgs({ args: [...args], options, strict: true }).values;
  } catch (error) {
    throw new AthenaSetupError(
      'usage',
      `${error instanceof Error ? error.message : String(error)} (see --help)`,
    );
  }
}

function required(name: string, value: string | undefined): string {
  if (!value) throw new AthenaSetupError('usage', `--${name} is required (see --help)`);
  return value;
}

function s3LakeRoot(values: Values): { bucket: string; prefix: string; root: string } {
  const root = required('lake', values.lake);
  const lake = parseLakeRoot(root);
  if (lake.kind !== 's3') {
    throw new AthenaSetupError(
      'usage',
      `--lake must be an s3://bucket[/prefix] root, got ${JSON.stringify(values.lake)}`,
    );
  }
  return { bucket: lake.bucket, prefix: lake.prefix, root };
}

function statementsFor(values: Values): AthenaStatement[] {
  const lake = s3LakeRoot(values);
  const format = values.format ?? 'parquet';
  if (format !== 'parquet' && format !== 'csv') {
    throw new AthenaSetupError('usage', `--format must be parquet or csv, got ${JSON.stringify(format)}`);
  }
  let years: { first: number; last: number } | undefined;
  if (values.years !== undefined) {
    const match = /^(\d{4})-(\d{4})$/.exec(values.years);
    if (!match)
      throw new AthenaSetupError(
        'usage',
        `--years must be like 2020-2035, got ${JSON.stringify(values.years)}`,
      );
    years = { first: Number(match[1]), last: Number(match[2]) };
  }
  return athenaStatements({
    bucket: lake.bucket,
    prefix: lake.prefix,
    format: format satisfies AggregateFileFormat,
    ...(years ? { years } : {}),
  });
}

function runOptions(values: Values, io: SetupIo): RunStatementsOptions {
  const workgroup = required('workgroup', values.workgroup);
  const outputLocation = values['output-location'];
  if (outputLocation !== undefined && !outputLocation.startsWith('s3://')) {
    throw new AthenaSetupError(
      'usage',
      `--output-location must be an s3:// URL, got ${JSON.stringify(outputLocation)}`,
    );
  }
  const seconds = values['timeout-seconds'] === undefined ? 300 : Number(values['timeout-seconds']);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new AthenaSetupError(
      'usage',
      `--timeout-seconds must be a positive number, got ${values['timeout-seconds']}`,
    );
  }
  return {
    workgroup,
    timeoutMs: seconds * 1000,
    ...(outputLocation ? { outputLocation } : {}),
    ...(io.clock ? { clock: io.clock } : {}),
  };
}

async function withAthena<T>(
  values: Values,
  io: SetupIo,
  options: RunStatementsOptions,
  work: (run: (statement: AthenaStatement) => Promise<string>) => Promise<T>,
): Promise<T> {
  const client = (io.athena ?? ((region) => new AthenaClient(region ? { region } : {})))(values.region);
  try {
    return await work((statement) => runAthenaStatement(client, statement, options));
  } finally {
    client.destroy();
  }
}

function lakeOpener(values: Values, io: SetupIo): (root: string) => Lake {
  const env = { ...io.env, ...(values.region ? { AWS_REGION: values.region } : {}) };
  return io.lake ?? ((root) => openLake(root, { env }));
}

async function apply(values: Values, io: SetupIo): Promise<void> {
  const statements = statementsFor(values);
  const options = runOptions(values, io);
  await withAthena(values, io, options, async (run) => {
    for (const statement of statements) {
      io.stdout.write(`ok  ${statement.name}  (query ${await run(statement)})\n`);
    }
  });
  io.stdout.write(`done: ${statements.length} statements applied in workgroup ${options.workgroup}\n`);
}

async function backfill(values: Values, io: SetupIo): Promise<void> {
  const lakeRoot = s3LakeRoot(values).root;
  const processedTable = required('processed-table', values['processed-table']);
  const from = required('from', values.from);
  const days = daysFromTo(from, values.to ?? from);
  if (values['dry-run']) {
    for (const unload of compileAthenaAggregateUnloads({ lakeRoot, processedTable, days })) {
      io.stdout.write(
        `-- ${unload.table} ${unload.day}: clear ${lakeRoot.replace(/\/+$/, '')}/${unload.key}\n`,
      );
      io.stdout.write(`${unload.sql};\n\n`);
    }
    io.stdout.write(`dry run: ${days.length} day(s), nothing cleared or run\n`);
    return;
  }
  const options = runOptions(values, io);
  const concurrency = values.concurrency === undefined ? 1 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new AthenaSetupError(
      'usage',
      `--concurrency must be a whole number of days, 1 or more, got ${JSON.stringify(values.concurrency)}`,
    );
  }
  const lake = lakeOpener(values, io)(lakeRoot);
  await withAthena(values, io, options, (run) =>
    backfillAggregates({
      lake,
      lakeRoot,
      processedTable,
      days,
      run,
      logger: textLineLogger((line) => io.stdout.write(`${line}\n`)),
      concurrency,
    }),
  );
  io.stdout.write(`done: ${days.length} day(s) backfilled in workgroup ${options.workgroup}\n`);
}

function smokeRunId(values: Values, io: SetupIo): string {
  const now = new Date((io.clock ?? Date).now());
  const runId = values['run-id'] ?? `${now.toISOString().slice(0, 19).replace(/[-:]/g, '').toLowerCase()}z`;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(runId)) {
    throw new AthenaSetupError(
      'usage',
      `--run-id must be lower-case letters, digits, - and _, got ${JSON.stringify(runId)}`,
    );
  }
  return runId;
}

function smokeCases(values: Values): GoldenCase[] {
  try {
    return values.case
      ? values.case.map((dir) => readGoldenCase(dir))
      : repositoryGoldenCases(dirname(fileURLToPath(import.meta.url)));
  } catch (error) {
    throw new AthenaSetupError('usage', `--case: ${(error as Error).message}`, { cause: error });
  }
}

async function smoke(values: Values, io: SetupIo): Promise<number> {
  const lakeRoot = s3LakeRoot(values).root;
  const runId = smokeRunId(values, io);
  const cases = smokeCases(values);
  const options = runOptions(values, io);
  const lakeFor = lakeOpener(values, io);
  const checks = await withAthena(values, io, options, (run) =>
    runAthenaSmoke(
      {
        lakeFor,
        run,
        logger: textLineLogger((line) => io.stderr.write(`${line}\n`)),
      },
      { lakeRoot, runId, cases },
    ),
  );
  io.stdout.write(formatSmokeTable(checks));
  return checks.every((c) => c.ok) ? 0 : 1;
}

/**
 * The `athena-setup` entry point: `print` writes the DDL and views, `apply` runs them in Athena,
 * `backfill-aggregates` recomputes days of aggregates in Athena, `smoke` proves them on the golden cases.
 * Every failure is one line on stderr and exit status 1.
 *
 * @example
 * process.exitCode = await main(['print', '--lake', 's3://acme-lake/prod'], { stdout, stderr });
 */
export async function main(argv: readonly string[], io: SetupIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(usage);
    return 0;
  }
  if (!COMMANDS.includes(command as (typeof COMMANDS)[number])) {
    io.stderr.write(
      `${command === undefined ? '' : `athena-setup: unknown command ${JSON.stringify(command)}\n\n`}${usage}`,
    );
    return 1;
  }
  try {
    const values = parse(args);
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    if (command === 'print') io.stdout.write(athenaScript(statementsFor(values)));
    else if (command === 'apply') await apply(values, io);
    else if (command === 'smoke') return await smoke(values, io);
    else await backfill(values, io);
    return 0;
  } catch (error) {
    if (
      error instanceof AthenaSetupError ||
      error instanceof AnalyticsSqlError ||
      error instanceof SqlPlanError ||
      error instanceof LakeError
    ) {
      io.stderr.write(`athena-setup ${command}: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(`athena-setup ${command}: unexpected error (a bug; please report it):\n`);
    io.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
