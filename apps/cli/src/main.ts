import { isExpectedError } from '@streampulse/errors';
import { EXIT, type CliIo } from './io.js';

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
    io.stderr.write(describeFailure(name, error));
    return EXIT.failed;
  }
}

/**
 * What the CLI prints for a command that threw. Every StreamPulse error says whether it is a
 * failure we foresaw (bad settings, an unreachable database or lake, SQL that cannot be compiled,
 * an undecodable file): that is one clear line, no stack. Anything else is a bug, with its stack.
 *
 * @example
 * describeFailure('etl', new FileDecodeError('invalid_gzip', 'x.csv.gz is not gzip'));
 * // 'streampulse etl: x.csv.gz is not gzip\n'
 */
export function describeFailure(command: string, error: unknown): string {
  if (isExpectedError(error)) return `streampulse ${command}: ${error.message}\n`;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `streampulse ${command}: unexpected error (a bug; please report it):\n${detail}\n`;
}
