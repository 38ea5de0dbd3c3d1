import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The PostgreSQL 15 server binaries of the machine (Debian's postgresql-15 package). */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** A PostgreSQL cluster a test started on a port of its own, and owns: it may stop it at will. */
export interface OwnedPostgres {
  port: number;
  /** The data folder (certificates go beside it). */
  dataDir: string;
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<database>` plus `query`, if given. */
  url(database?: string, query?: string): string;
  /** Stops the server immediately (`pg_ctl stop -m immediate`): what a crash looks like to clients. */
  crash(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * initdb + pg_ctl a fresh cluster on a free port, password `password` for user postgres
 * (scram-sha-256 over TCP). Run as root, the server runs as the system user `postgres`, as
 * PostgreSQL refuses root. `config` lines are appended to postgresql.conf (e.g. `ssl = on`);
 * `files` are written into the data folder first (e.g. the server's certificate).
 *
 * @example
 * const pg = await startOwnedPostgres('s3cret', { config: ['ssl = on'], files: { 'server.crt': cert, 'server.key': key } });
 */
export async function startOwnedPostgres(
  password: string,
  options: { config?: string[]; files?: Record<string, string> } = {},
): Promise<OwnedPostgres> {
  const root = process.getuid?.() === 0;
  const home = mkdtempSync(join(tmpdir(), 'streampulse-owned-pg-'));
  const dataDir = join(home, 'data');
  const owner = root ? 'postgres' : userInfo().username;
  const ids = root
    ? await run('id', ['-u', owner]).then(async (u) => [
        Number(u.stdout),
        Number((await run('id', ['-g', owner])).stdout),
      ])
    : undefined;
  const as = (command: string, args: string[]) =>
    root ? run('runuser', ['-u', owner, '--', command, ...args]) : run(command, args);
  const own = (path: string) => {
    if (ids) chownSync(path, ids[0] ?? 0, ids[1] ?? 0);
  };
  chmodSync(home, 0o755);
  own(home);
  const pwfile = join(home, 'pw');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  own(pwfile);
  await as(join(PG_BIN, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--pwfile',
    pwfile,
    '--auth=scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  rmSync(pwfile);
  for (const [name, text] of Object.entries(options.files ?? {})) {
    writeFileSync(join(dataDir, name), text, { mode: 0o600 });
    own(join(dataDir, name));
  }
  const port = await freePort();
  const conf = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${home}'`,
    'fsync = off',
    ...(options.config ?? []),
  ];
  writeFileSync(join(dataDir, 'postgresql.auto.conf'), conf.join('\n') + '\n');
  own(join(dataDir, 'postgresql.auto.conf'));
  const ctl = (args: string[]) => as(join(PG_BIN, 'pg_ctl'), ['-D', dataDir, ...args]);
  const server: OwnedPostgres = {
    port,
    dataDir,
    url: (database = 'postgres', query) =>
      `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}${query ? `?${query}` : ''}`,
    crash: async () => {
      await ctl(['stop', '-m', 'immediate', '-w']);
    },
    start: async () => {
      await ctl(['start', '-w', '-l', join(home, 'log'), '-t', '60']);
    },
    stop: async () => {
      await ctl(['stop', '-m', 'fast', '-w']).catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
