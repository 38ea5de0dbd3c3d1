import { EXIT, UsageError, type CliIo } from './io.js';

type Run = (args: readonly string[], io: CliIo) => Promise<number>;

/**
 * A command and how to load it. Commands load on demand, so `streampulse etl` does not pay for
 * DuckDB, the AWS SDK or the generator at start-up.
 */
interface Command {
  summary: string;
  load: () => Promise<Run>;
}

const commands: Record<string, Command> = {
  demo: {
    summary: 'the whole pipeline on this laptop: generate, ETL, aggregate, dashboard (npm start)',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
  etl: {
    summary: 'load playback files from the lake into PostgreSQL',
    load: async () => (await import('./commands/etl.js')).etlCommand,
  },
  aggregate: {
    summary: 'write daily_engagement and daily_active_users for days into the lake',
    load: async () => (await import('./commands/aggregate.js')).aggregateCommand,
  },
  query: {
    summary: 'run Athena-flavoured SQL locally over the lake',
    load: async () => (await import('./commands/query.js')).queryCommand,
  },
  db: {
    summary: "the lake's embedded PostgreSQL: db url, db start, db stop, db psql",
    load: async () => (await import('./commands/db.js')).dbCommand,
  },
  generate: {
    summary: 'write a synthetic lake (profiles, catalog, daily playback files)',
    load: async () => (await import('./commands/generate.js')).generateCommand,
  },
  put: {
    summary: 'put a playback file into a local lake and run it through the ETL trigger into PostgreSQL',
    load: async () => (await import('./commands/put.js')).putCommand,
  },
  dashboard: {
    summary: 'write the engagement dashboard as one offline HTML file',
    load: async () => (await import('./commands/dashboard.js')).dashboardCommand,
  },
};

/**
 * The typed errors that mean "this run could not be done" (bad settings, unreachable database or
 * lake, bad SQL, ...): one clear line, no stack trace. Matched by class name so that classifying
 * an error does not load every package; each is a class of this repository with a `code`.
 */
const EXPECTED_ERRORS = new Set([
  'UsageError',
  'LakeError',
  'WarehouseError',
  'EtlJobError',
  'AggregateJobError',
  'LocalQueryError',
  'GenerateOptionsError',
  'EtlTriggerError',
  'GlueLauncherError',
  'DuckdbEtlError',
]);

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    'Usage: streampulse <command> [options]',
    '',
    'StreamPulse: the User Engagement 360 pipeline of an OTT streaming service.',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `streampulse <command> --help` for a command's options.",
    '',
  ].join('\n');
}

function isExpected(error: unknown): error is Error {
  return (
    error instanceof UsageError || (error instanceof Error && EXPECTED_ERRORS.has(error.constructor.name))
  );
}

/**
 * The CLI entry point: dispatches a command and turns every failure into an exit status.
 *
 * @example
 * process.exitCode = await main(['etl', '--lake', './lake'], { env: process.env, stdout, stderr });
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usage());
    return name === undefined ? EXIT.failed : EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`streampulse: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return EXIT.failed;
  }
  try {
    const run = await command.load();
    return await run(args, io);
  } catch (error) {
    if (isExpected(error)) {
      io.stderr.write(`streampulse ${name}: ${error.message}\n`);
      return EXIT.failed;
    }
    io.stderr.write(`streampulse ${name}: unexpected error (a bug; please report it):\n`);
    io.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.failed;
  }
}
