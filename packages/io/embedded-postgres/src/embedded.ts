import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, readlink, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import {
  binariesFor,
  exists,
  locateBinaries,
  reachableTemp,
  run,
  type Binaries,
  type RunAs,
} from './embedded-binaries.js';
import { messageOf } from '@streampulse/errors';
import { EmbeddedPostgresError } from './errors.js';
import { silentLogger, type Logger } from '@streampulse/logging';

/**
 * A PostgreSQL server this process started.
 *
 * @example
 * const server: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: '.streampulse/postgres' });
 * console.log(redactDatabaseUrl(server.url));
 * await server.stop();
 */
export interface EmbeddedPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<database>`; redact it before printing. */
  readonly url: string;
  /** Stops the server (fast shutdown) and waits until it is gone. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Options of {@link startEmbeddedPostgres}.
 *
 * @example
 * const options: EmbeddedOptions = { dataDir: '.streampulse/postgres', database: 'streampulse', logger };
 */
export interface EmbeddedOptions {
  /** Where the cluster lives (see the README: as root, this folder holds a pointer instead). */
  dataDir: string;
  /** Port to listen on; default: the previous run's port if free, else any free port. */
  port?: number;
  /** Told of each step (initdb, start, stop, reuse), one info entry each; silent without it. */
  logger?: Logger;
  /** Database the URL names, created if missing (default `postgres`). */
  database?: string;
  /**
   * Leave the server running after this process ends (`streampulse db start`): no exit hook, and
   * later starts on the same data dir reuse it instead of stopping it as a crashed run's leftover.
   * Stop it with {@link stopEmbeddedPostgres}.
   */
  background?: boolean;
}

/**
 * `embedded-postgres.json` in the data dir: where the cluster is and how to log in. Written
 * before initdb, so a cluster never exists without the password that opens it.
 */
interface ClusterSettings {
  version: 1;
  pgdata: string;
  password: string;
  port?: number;
}

const SETTINGS_FILE = 'embedded-postgres.json';
/** Present in the data dir while a server started with `background` is meant to keep running. */
const BACKGROUND_FILE = 'background';
const USER = 'postgres';

/**
 * Starts PostgreSQL from the `embedded-postgres` binaries, initialising a cluster in `dataDir`
 * on the first run and reusing it afterwards. Listens on 127.0.0.1 only, with a random password
 * kept in `dataDir`. Recovers from an earlier run that crashed: a server it left running is
 * stopped, a stale `postmaster.pid` removed. Run as root, the server runs as the system user
 * `postgres` (created if missing) and the cluster lives in the temp directory; see the README.
 *
 * @example
 * const server = await startEmbeddedPostgres({ dataDir: '.streampulse/postgres', database: 'streampulse' });
 * const pool = await connectWarehouse(server.url);
 * // ...
 * await pool.end();
 * await server.stop();
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const logger = options.logger ?? silentLogger;
  const log = (line: string): void => logger.info(line);
  const dataDir = resolve(options.dataDir);
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const runAs = process.getuid?.() === 0 ? await ensurePostgresUser(log) : undefined;
    const binaries = await binariesFor(await locateBinaries(), runAs, log);
    const settings = await clusterSettings(dataDir, runAs, binaries, log);
    const home = dirname(settings.pgdata);
    await prepareHome(home, runAs);
    await initialise(settings, binaries, runAs, log);
    const database = options.database ?? 'postgres';
    const urlOn = (port: number): string =>
      `postgres://${USER}:${encodeURIComponent(settings.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    const running = await backgroundServer(dataDir, settings);
    if (running !== undefined) {
      log(`using PostgreSQL already running in the background on 127.0.0.1:${running}`);
      await ensureDatabase(settings.password, running, database, log);
      // Whoever started it in the background stops it; a command borrowing it leaves it running.
      const stop = options.background
        ? () => stopEmbeddedPostgres({ dataDir }).then(() => undefined)
        : async () => undefined;
      return { url: urlOn(running), stop };
    }
    await recoverStaleServer(settings.pgdata, binaries, runAs, log);
    const port = await startServer(settings, binaries, runAs, options.port, log);
    if (settings.port !== port) await saveSettings(dataDir, { ...settings, port });
    const url = urlOn(port);
    try {
      await ensureDatabase(settings.password, port, database, log);
    } catch (error) {
      await pgCtl(binaries, runAs, ['stop', '-D', settings.pgdata, '-m', 'fast', '-w']);
      throw error;
    }
    if (options.background) {
      await writeFile(join(dataDir, BACKGROUND_FILE), `${port}\n`);
      return { url, stop: () => stopEmbeddedPostgres({ dataDir }).then(() => undefined) };
    }
    return handle(url, settings.pgdata, await postmasterPid(settings.pgdata), binaries, runAs, log);
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw error;
    const message = `cannot start embedded PostgreSQL in ${dataDir}: ${messageOf(error)}`;
    throw new EmbeddedPostgresError('embedded_failed', message, { cause: error });
  }
}

/** The port of a server started with `background` that still serves this cluster, if any. */
async function backgroundServer(dataDir: string, settings: ClusterSettings): Promise<number | undefined> {
  const marker = await readFile(join(dataDir, BACKGROUND_FILE), 'utf8').catch(() => undefined);
  if (marker === undefined) return undefined;
  const pid = await postmasterPid(settings.pgdata);
  const port = Number(marker.trim());
  if (pid !== undefined && Number.isInteger(port) && (await servesCluster(pid, settings.pgdata))) return port;
  await rm(join(dataDir, BACKGROUND_FILE), { force: true });
  return undefined;
}

/**
 * Stops the server of `dataDir` if one runs (started in the background or left by a crash).
 * Returns whether one was running.
 *
 * @example
 * if (!(await stopEmbeddedPostgres({ dataDir: 'lake/.streampulse/postgres' }))) console.log('was not running');
 */
export async function stopEmbeddedPostgres(options: { dataDir: string }): Promise<boolean> {
  const dataDir = resolve(options.dataDir);
  const text = await readFile(join(dataDir, SETTINGS_FILE), 'utf8').catch(() => undefined);
  await rm(join(dataDir, BACKGROUND_FILE), { force: true });
  if (text === undefined) return false;
  const { pgdata } = JSON.parse(text) as ClusterSettings;
  const pid = await postmasterPid(pgdata);
  if (pid === undefined || !(await servesCluster(pid, pgdata))) return false;
  const runAs = process.getuid?.() === 0 ? await ensurePostgresUser(() => undefined) : undefined;
  const binaries = await binariesFor(await locateBinaries(), runAs, () => undefined);
  const result = await pgCtl(binaries, runAs, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '60']);
  if (result.code !== 0 && (await postmasterPid(pgdata)) !== undefined) {
    throw new EmbeddedPostgresError(
      'embedded_failed',
      `cannot stop PostgreSQL in ${pgdata}: ${result.output}`,
    );
  }
  return true;
}

function handle(
  url: string,
  pgdata: string,
  pid: number | undefined,
  binaries: Binaries,
  runAs: RunAs | undefined,
  log: (line: string) => void,
): EmbeddedPostgres {
  // A process that forgets stop() must not leave a server behind: ask for a fast shutdown on
  // exit (a signal is all an 'exit' listener can still send).
  const onExit = (): void => {
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // Already gone.
      }
    }
  };
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', onExit);
        log(`stopping PostgreSQL (data in ${pgdata})`);
        const result = await pgCtl(binaries, runAs, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '60']);
        if (result.code !== 0 && (await postmasterPid(pgdata)) !== undefined) {
          throw new EmbeddedPostgresError(
            'embedded_failed',
            `cannot stop PostgreSQL in ${pgdata}: ${result.output}`,
          );
        }
        // pg_ctl -w returns once the pid file is gone, which the postmaster removes just before
        // it exits: wait for the process too, so "stopped" means no server process is left.
        if (pid !== undefined) await processGone(pid, 10_000);
      })();
      return stopping;
    },
  };
}

/** The uid and gid of `postgres`, creating that system user when it is missing. */
async function ensurePostgresUser(log: (line: string) => void): Promise<RunAs> {
  const lookup = async (): Promise<RunAs | undefined> => {
    const [uid, gid] = await Promise.all([run('id', ['-u', USER]), run('id', ['-g', USER])]);
    if (uid.code !== 0 || gid.code !== 0) return undefined;
    return { uid: Number(uid.output), gid: Number(gid.output) };
  };
  const found = await lookup();
  if (found) return found;
  log(`creating system user ${USER} to run PostgreSQL (it refuses to run as root)`);
  const groupExists = (await run('getent', ['group', USER])).code === 0;
  const created = await run('useradd', [
    '--system',
    ...(groupExists ? ['-g', USER] : ['--user-group']),
    USER,
  ]);
  const made = await lookup();
  if (!made) {
    throw new EmbeddedPostgresError(
      'embedded_failed',
      `cannot create system user ${USER} (useradd: ${created.output})`,
    );
  }
  return made;
}

/** Reads `embedded-postgres.json`, or decides where a new cluster goes and writes it. */
async function clusterSettings(
  dataDir: string,
  runAs: RunAs | undefined,
  binaries: Binaries,
  log: (line: string) => void,
): Promise<ClusterSettings> {
  const path = join(dataDir, SETTINGS_FILE);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text !== undefined) {
    const parsed = JSON.parse(text) as Partial<ClusterSettings>;
    if (parsed.version === 1 && typeof parsed.pgdata === 'string' && typeof parsed.password === 'string') {
      return { version: 1, pgdata: parsed.pgdata, password: parsed.password, port: parsed.port };
    }
    throw new EmbeddedPostgresError(
      'embedded_failed',
      `${path} is not an embedded PostgreSQL settings file; remove it to start afresh`,
    );
  }
  const pgdata = runAs
    ? join(await reachableTemp(runAs), clusterName(dataDir), 'pgdata')
    : join(dataDir, 'pgdata');
  // Without the settings file nobody knows the cluster's password: an earlier cluster at that
  // place belonged to a data dir that was deleted, and is replaced.
  if (await exists(pgdata)) {
    log(`replacing the cluster in ${pgdata}: its settings file ${path} is gone`);
    await recoverStaleServer(pgdata, binaries, runAs, log);
    await rm(pgdata, { recursive: true, force: true });
  }
  const settings: ClusterSettings = { version: 1, pgdata, password: randomBytes(18).toString('base64url') };
  await saveSettings(dataDir, settings);
  return settings;
}

async function saveSettings(dataDir: string, settings: ClusterSettings): Promise<void> {
  const path = join(dataDir, SETTINGS_FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

/** A folder name from the data dir's path: the same dir finds its cluster again. */
function clusterName(dataDir: string): string {
  return `streampulse-pg-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
}

/** The folder holding pgdata and the server log, owned by whoever runs the server. */
async function prepareHome(home: string, runAs: RunAs | undefined): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  if (runAs) {
    await chown(home, runAs.uid, runAs.gid);
    await chmod(home, 0o700);
  }
}

async function initialise(
  settings: ClusterSettings,
  binaries: Binaries,
  runAs: RunAs | undefined,
  log: (line: string) => void,
): Promise<void> {
  const { pgdata } = settings;
  const versionFile = join(pgdata, 'PG_VERSION');
  if (await exists(versionFile)) {
    const version = (await readFile(versionFile, 'utf8')).trim();
    if (version !== binaries.major) {
      throw new EmbeddedPostgresError(
        'embedded_failed',
        `the cluster in ${pgdata} is PostgreSQL ${version}, the embedded server is ${binaries.major}; remove the data dir to start afresh`,
      );
    }
    log(`reusing the PostgreSQL ${version} cluster in ${pgdata}`);
    return;
  }
  log(`initialising a PostgreSQL ${binaries.major} cluster in ${pgdata}`);
  const home = dirname(pgdata);
  // initdb writes into a private name that is renamed at the end: an interrupted initdb leaves
  // no half cluster that a later start would mistake for a real one.
  const partial = `${pgdata}.initdb`;
  const passwordFile = join(home, 'initdb-password');
  await rm(partial, { recursive: true, force: true });
  await writeFile(passwordFile, settings.password + '\n', { mode: 0o600 });
  try {
    if (runAs) await chown(passwordFile, runAs.uid, runAs.gid);
    const result = await run(
      binaries.initdb,
      [
        `--pgdata=${partial}`,
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      { runAs, cwd: home },
    );
    if (result.code !== 0) {
      throw new EmbeddedPostgresError('embedded_failed', `initdb failed in ${partial}: ${result.output}`);
    }
  } finally {
    await rm(passwordFile, { force: true });
  }
  // Local, disposable data: commit without waiting for the disk, and no socket file to clash
  // with a system PostgreSQL (every client comes over TCP on 127.0.0.1).
  const conf = join(partial, 'postgresql.conf');
  const extra = [
    '',
    '# streampulse embedded server',
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    'synchronous_commit = off',
    '',
  ].join('\n');
  await writeFile(conf, (await readFile(conf, 'utf8')) + extra);
  await rename(partial, pgdata);
}

/** The pid in `postmaster.pid`, if there is one. */
async function postmasterPid(pgdata: string): Promise<number | undefined> {
  const text = await readFile(join(pgdata, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(text?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Clears what a crashed run left: stops a server still running on this cluster, and removes a
 * `postmaster.pid` whose pid now belongs to another process (common after a container restart),
 * which PostgreSQL would otherwise take for a running server.
 */
async function recoverStaleServer(
  pgdata: string,
  binaries: Binaries,
  runAs: RunAs | undefined,
  log: (line: string) => void,
): Promise<void> {
  const pid = await postmasterPid(pgdata);
  if (pid === undefined) return;
  if (await servesCluster(pid, pgdata)) {
    log(`stopping PostgreSQL (pid ${pid}) left running on ${pgdata} by an earlier run`);
    const result = await pgCtl(binaries, runAs, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '60']);
    if (result.code !== 0 && (await postmasterPid(pgdata)) !== undefined) {
      throw new EmbeddedPostgresError(
        'embedded_failed',
        `cannot stop the earlier server in ${pgdata}: ${result.output}`,
      );
    }
    return;
  }
  log(`removing stale ${join(pgdata, 'postmaster.pid')} (pid ${pid} is not this cluster's server)`);
  await rm(join(pgdata, 'postmaster.pid'), { force: true });
}

/** Waits until `pid` has exited (or is a zombie left to its reaper), at most `timeoutMs`. */
async function processGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || /^\d+ \(.*\) Z/.test(stat)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether `pid` is a live postmaster of `pgdata`: on Linux its cwd is the data directory. */
async function servesCluster(pid: number, pgdata: string): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    // Gone, or (EPERM) alive but another user's: not a server this user started.
    return false;
  }
  // No /proc (macOS): trust the pid file, as pg_ctl does.
  if (!(await exists('/proc/self'))) return true;
  // A zombie (dead, not yet reaped: common under a container's init) has no cwd left.
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
  return cwd !== undefined && cwd === (await realpath(pgdata).catch(() => pgdata));
}

/** Starts the server and returns its port; retries once if an auto-chosen port was taken meanwhile. */
async function startServer(
  settings: ClusterSettings,
  binaries: Binaries,
  runAs: RunAs | undefined,
  requested: number | undefined,
  log: (line: string) => void,
): Promise<number> {
  const { pgdata } = settings;
  const logFile = join(dirname(pgdata), 'postgres.log');
  for (let attempt = 1; ; attempt++) {
    const port = requested ?? (await choosePort(settings.port));
    if (requested !== undefined && !(await portIsFree(requested))) {
      throw new EmbeddedPostgresError('embedded_failed', `port ${requested} on 127.0.0.1 is in use`);
    }
    log(`starting PostgreSQL ${binaries.major} on 127.0.0.1:${port} (data in ${pgdata}, log in ${logFile})`);
    const result = await pgCtl(binaries, runAs, [
      'start',
      '-D',
      pgdata,
      '-l',
      logFile,
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port}`,
    ]);
    if (result.code === 0) return port;
    const tail = await logTail(logFile);
    if (requested === undefined && attempt === 1 && /could not bind|address already in use/i.test(tail))
      continue;
    throw new EmbeddedPostgresError(
      'embedded_failed',
      `PostgreSQL did not start in ${pgdata}: ${result.output}\n${tail}`,
    );
  }
}

async function logTail(logFile: string): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-10).join('\n');
}

function pgCtl(
  binaries: Binaries,
  runAs: RunAs | undefined,
  args: string[],
): Promise<{ code: number; output: string }> {
  // pg_ctl daemonizes the server (own session, output to the log file), so the server neither
  // holds our pipes nor dies with a Ctrl-C meant for this process.
  return run(binaries.pg_ctl, args, { runAs, cwd: '/' });
}

async function choosePort(previous: number | undefined): Promise<number> {
  if (previous !== undefined && (await portIsFree(previous))) return previous;
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

async function ensureDatabase(
  password: string,
  port: number,
  database: string,
  log: (line: string) => void,
): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      log(`creating database ${database}`);
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error: unknown) => {
        // Another process created it between our check and now.
        if ((error as { code?: string }).code !== '42P04') throw error;
      });
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
