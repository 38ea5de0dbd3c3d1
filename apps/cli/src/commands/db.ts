import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { openLake } from '@streampulse/lake';
import {
  EMBEDDED_DATABASE,
  startEmbeddedPostgres,
  stopEmbeddedPostgres,
} from '@streampulse/embedded-postgres';
import { parseCommandArgs } from '../args.js';
import { DEMO_LAKE_DIR, embeddedDirOf } from '../database.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { requireLakeRoot } from '../lake-root.js';

/**
 * `streampulse db --help`.
 *
 * @example
 * io.stdout.write(dbHelp);
 */
export const dbHelp = `Usage: streampulse db <url|start|stop|psql> [--lake <dir|s3://bucket[/prefix]>]

The lake's own embedded PostgreSQL (the database etl and aggregate use when neither
--database-url nor DATABASE_URL is set), for psql or a BI tool. processed.processed_data is
the ETL's table.

  url     print a connection URL for it (with its password); keeps nothing running
  start   run it in the background until \`streampulse db stop\`; commands run meanwhile use it
  stop    stop the background server
  psql    open psql on it (psql must be installed)

Example:
  npx streampulse db start
  psql "$(npx streampulse db url)" -c 'select count(*) from processed.processed_data'
  npx streampulse db stop

Options:
  --lake <root>   the lake (default: ./lake if it is one, else npm start's ${DEMO_LAKE_DIR})
  -h, --help      show this help
`;

const ACTIONS = ['url', 'start', 'stop', 'psql'] as const;
type Action = (typeof ACTIONS)[number];

function isLakeFolder(path: string): boolean {
  return existsSync(join(path, 'raw')) || existsSync(join(path, 'analytics'));
}

/** psql from PATH, else from the usual Debian/Ubuntu place. */
function findPsql(env: Record<string, string | undefined>): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (existsSync(join(dir, 'psql'))) return join(dir, 'psql');
  }
  for (const major of ['18', '17', '16', '15', '14']) {
    const path = `/usr/lib/postgresql/${major}/bin/psql`;
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** `streampulse db`: the lake's embedded PostgreSQL as a server a user can connect to. */
export async function dbCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'db',
    args,
    { lake: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    io.stdout.write(dbHelp);
    return EXIT.ok;
  }
  const action = ACTIONS.find((a) => a === positionals[0]);
  if (action === undefined || positionals.length !== 1) {
    throw new UsageError('give one of url, start, stop or psql (see: streampulse db --help)');
  }
  const cwd = io.cwd ?? process.cwd();
  const given = values.lake ?? defaultLake(cwd);
  const lake = openLake(resolveIn(cwd, given), { env: io.env });
  await requireLakeRoot(lake, given, ['raw', 'analytics'], 'db', cwd);
  const dataDir = embeddedDirOf(lake.root, io.env);
  return run(action, dataDir, given, io);
}

function resolveIn(cwd: string, root: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(root) ? root : join(cwd, root);
}

function defaultLake(cwd: string): string {
  if (isLakeFolder(join(cwd, 'lake'))) return 'lake';
  if (isLakeFolder(join(cwd, DEMO_LAKE_DIR))) return DEMO_LAKE_DIR;
  throw new UsageError(
    `no lake in ./lake or ./${DEMO_LAKE_DIR} (npm start's): give --lake (see: streampulse db --help)`,
  );
}

async function run(action: Action, dataDir: string, given: string, io: CliIo): Promise<number> {
  const note = (line: string) => io.stderr.write(`${line}\n`);
  if (action === 'stop') {
    const stopped = await stopEmbeddedPostgres({ dataDir });
    io.stdout.write(
      stopped
        ? `stopped the embedded database for ${given}\n`
        : `the embedded database for ${given} was not running\n`,
    );
    return EXIT.ok;
  }
  if (action === 'start') {
    const server = await startEmbeddedPostgres({ dataDir, database: EMBEDDED_DATABASE, background: true });
    const where = new URL(server.url).host;
    io.stdout.write(
      `the embedded database for ${given} runs in the background on ${where}, database ${EMBEDDED_DATABASE}\n` +
        `  connect: psql "$(npx streampulse db url${given === 'lake' ? '' : ` --lake ${given}`})"\n` +
        `  stop it: npx streampulse db stop${given === 'lake' ? '' : ` --lake ${given}`}\n`,
    );
    return EXIT.ok;
  }
  const psql = action === 'psql' ? findPsql(io.env) : undefined;
  if (action === 'psql' && psql === undefined) {
    throw new UsageError(
      'psql is not installed; connect another client to the URL `streampulse db url` prints',
    );
  }
  // Starting it creates the cluster and the database on first use, so the URL always works once
  // the server runs; if `db start` runs it, it is borrowed and stays running.
  const server = await startEmbeddedPostgres({ dataDir, database: EMBEDDED_DATABASE });
  try {
    if (action === 'url') {
      io.stdout.write(`${server.url}\n`);
      return EXIT.ok;
    }
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(psql ?? 'psql', [server.url], { stdio: 'inherit' });
      child.once('error', reject);
      child.once('exit', (code) => resolve(code === 0 ? EXIT.ok : EXIT.failed));
    });
  } finally {
    await server.stop();
    if (action === 'url' && !runsInBackground(dataDir)) {
      note(
        `(not running now: \`streampulse db start${given === 'lake' ? '' : ` --lake ${given}`}\` serves it at this URL)`,
      );
    }
  }
}

function runsInBackground(dataDir: string): boolean {
  return existsSync(join(dataDir, 'background'));
}
