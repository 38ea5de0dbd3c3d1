import { EtlTriggerError } from '@streampulse/etl-trigger';
import { GlueLauncherError } from '@streampulse/glue-launcher';
import { AggregateJobError, EtlJobError } from '@streampulse/jobs';
import { LakeError } from '@streampulse/lake';
import { LocalQueryError } from '@streampulse/local-query';
import { GenerateOptionsError } from '@streampulse/tools/generate';
import { WarehouseError } from '@streampulse/warehouse';
import { aggregateCommand, aggregateHelp } from './commands/aggregate.js';
import { dashboardCommand, dashboardHelp } from './commands/dashboard.js';
import { demoCommand, demoHelp } from './commands/demo.js';
import { etlCommand, etlHelp } from './commands/etl.js';
import { generateCommand, generateHelp } from './commands/generate.js';
import { putCommand, putHelp } from './commands/put.js';
import { queryCommand, queryHelp } from './commands/query.js';
import { EXIT, UsageError, type CliIo } from './io.js';

type Command = {
  summary: string;
  help: string;
  run: (args: readonly string[], io: CliIo) => Promise<number>;
};

const commands: Record<string, Command> = {
  demo: {
    summary: 'the whole pipeline on this laptop: generate, ETL, aggregate, dashboard (npm start)',
    help: demoHelp,
    run: demoCommand,
  },
  etl: { summary: 'load playback files from the lake into PostgreSQL', help: etlHelp, run: etlCommand },
  aggregate: {
    summary: 'write daily_engagement and daily_active_users for days into the lake',
    help: aggregateHelp,
    run: aggregateCommand,
  },
  query: { summary: 'run Athena-flavoured SQL locally over the lake', help: queryHelp, run: queryCommand },
  generate: {
    summary: 'write a synthetic lake (profiles, catalog, daily playback files)',
    help: generateHelp,
    run: generateCommand,
  },
  put: {
    summary: 'put a playback file into a local lake and run it through the ETL trigger into PostgreSQL',
    help: putHelp,
    run: putCommand,
  },
  dashboard: {
    summary: 'write the engagement dashboard as one offline HTML file',
    help: dashboardHelp,
    run: dashboardCommand,
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

/** Errors that mean "this run could not be done": one clear line, no stack trace. */
function isExpected(error: unknown): error is Error {
  return (
    error instanceof UsageError ||
    error instanceof LakeError ||
    error instanceof WarehouseError ||
    error instanceof EtlJobError ||
    error instanceof AggregateJobError ||
    error instanceof LocalQueryError ||
    error instanceof GenerateOptionsError ||
    error instanceof EtlTriggerError ||
    error instanceof GlueLauncherError
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
    return await command.run(args, io);
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
