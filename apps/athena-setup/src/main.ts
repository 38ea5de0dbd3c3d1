import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AthenaClient } from '@aws-sdk/client-athena';
import {
  AnalyticsSqlError,
  athenaScript,
  athenaStatements,
  type AggregateFileFormat,
  type AthenaStatement,
} from '@streampulse/analytics-sql';
import { LakeError, parseLakeRoot } from '@streampulse/lake';
import { AthenaSetupError } from './errors.js';
import { runAthenaStatements, type PollClock } from './run-statements.js';

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
}

const usage = `Usage: athena-setup <print|apply> --lake s3://bucket[/prefix] [options]

Declares the StreamPulse tables daily_engagement and daily_active_users (partition projection
on integer year/month/day: no crawler, no MSCK REPAIR) and the six dashboard views in Athena,
database streampulse.

Commands:
  print   print the statements (paste them into the Athena console)
  apply   run them in Athena, one after the other, stopping at the first failure

Options:
  --lake <s3://bucket[/prefix]>   the lake root the aggregation job writes to (required)
  --format <parquet|csv>          the format the aggregation job writes (default parquet)
  --years <first-last>            years partition projection covers (default 2020-2035)
  --workgroup <name>              Athena workgroup (apply; required)
  --output-location <s3://...>    query result location (apply; default: the workgroup's)
  --region <region>               AWS region (apply; default: the SDK's, e.g. $AWS_REGION)
  --timeout-seconds <n>           longest wait for one statement (apply; default 300)
  -h, --help                      show this help
`;

const options = {
  lake: { type: 'string' },
  format: { type: 'string' },
  years: { type: 'string' },
  workgroup: { type: 'string' },
  'output-location': { type: 'string' },
  region: { type: 'string' },
  'timeout-seconds': { type: 'string' },
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

function statementsFor(values: Values): AthenaStatement[] {
  const lake = parseLakeRoot(required('lake', values.lake));
  if (lake.kind !== 's3') {
    throw new AthenaSetupError(
      'usage',
      `--lake must be an s3://bucket[/prefix] root, got ${JSON.stringify(values.lake)}`,
    );
  }
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

async function apply(values: Values, io: SetupIo): Promise<void> {
  const statements = statementsFor(values);
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
  const client = (io.athena ?? ((region) => new AthenaClient(region ? { region } : {})))(values.region);
  try {
    await runAthenaStatements(client, statements, {
      workgroup,
      timeoutMs: seconds * 1000,
      ...(outputLocation ? { outputLocation } : {}),
      ...(io.clock ? { clock: io.clock } : {}),
      onSucceeded: (statement, id) => io.stdout.write(`ok  ${statement.name}  (query ${id})\n`),
    });
  } finally {
    client.destroy();
  }
  io.stdout.write(`done: ${statements.length} statements applied in workgroup ${workgroup}\n`);
}

/**
 * The `athena-setup` entry point: `print` writes the DDL and views, `apply` runs them in Athena.
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
  if (command !== 'print' && command !== 'apply') {
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
    else await apply(values, io);
    return 0;
  } catch (error) {
    if (
      error instanceof AthenaSetupError ||
      error instanceof AnalyticsSqlError ||
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
