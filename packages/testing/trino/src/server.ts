import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trinoClient } from './client.js';
import { TRINO_VERSION, trinoInstall } from './install.js';
import { trinoJava } from './java.js';

/**
 * A running single-node Trino on loopback.
 *
 * @example
 * const trino = await startTrino({ root: lakeRoot });
 * try { ... trino.url ... } finally { await trino.stop(); }
 */
export interface TrinoServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** What the server reports as its version, e.g. `476`. */
  readonly version: string;
  /** How long it took from spawning the JVM until the server accepted queries, in ms. */
  readonly startupMs: number;
  /** The server's log (stdout and stderr). */
  readonly logPath: string;
  /** Stops the JVM (its whole process group): SIGTERM, then SIGKILL after 20 s. Idempotent. */
  stop(): Promise<void>;
}

/**
 * What {@link startTrino} starts.
 *
 * @example
 * const options: StartTrinoOptions = { root: '/tmp/trino-root' };
 */
export interface StartTrinoOptions {
  /** The folder the Hive catalog sees as `local:///` (its metastore goes to `metastore/`). */
  readonly root: string;
  /** How long to wait for the server, in ms (default 180 000: two busy cores start it in 15-40 s). */
  readonly startTimeoutMs?: number;
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no loopback port');
  return address.port;
}

function jvmOptions(home: string): string[] {
  return readFileSync(join(home, 'etc', 'jvm.config'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

async function acceptsQueries(url: string): Promise<boolean> {
  try {
    await trinoClient({ url, timeoutMs: 10_000 }).query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function logTail(path: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').slice(-30).join('\n');
}

/**
 * Starts the installed Trino (see `npm run trino:setup`) on a free loopback port, in its own
 * process group, and resolves once it accepts queries. Should the test process exit without
 * calling `stop()`, the server is killed with it.
 *
 * @example
 * const trino = await startTrino({ root });
 * console.log(`Trino ${trino.version} on ${trino.url}`);
 */
export async function startTrino(options: StartTrinoOptions): Promise<TrinoServer> {
  const install = trinoInstall();
  if (!install.ready) {
    throw new Error(`Trino ${TRINO_VERSION} is not set up in ${install.home}: run npm run trino:setup`);
  }
  const { java } = trinoJava();
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const runDir = await mkdtemp(join(tmpdir(), 'streampulse-trino-'));
  const logPath = join(runDir, 'server.log');
  const logFd = openSync(logPath, 'a');
  const started = Date.now();
  const child = spawn(
    java,
    [
      ...jvmOptions(install.home),
      '-Dconfig=etc/config.properties',
      `-Dhttp-server.http.port=${port}`,
      `-Ddiscovery.uri=${url}`,
      `-Dnode.data-dir=${join(runDir, 'data')}`,
      '-cp',
      join(install.home, 'lib', '*'),
      'io.trino.server.TrinoServer',
    ],
    {
      cwd: install.home,
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, STREAMPULSE_TRINO_ROOT: options.root },
    },
  );
  closeSync(logFd);
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.on('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    killGroup(child, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), 20_000);
    });
    const done = await Promise.race([exited.then(() => true), late]);
    clearTimeout(timer);
    if (!done) {
      killGroup(child, 'SIGKILL');
      await exited;
    }
    process.off('exit', killOnExit);
  };

  const deadline = started + (options.startTimeoutMs ?? 180_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`Trino exited while starting (${logPath}):\n${await logTail(logPath)}`);
    }
    const info = await fetch(`${url}/v1/info`)
      .then((r) =>
        r.ok ? (r.json() as Promise<{ starting: boolean; nodeVersion: { version: string } }>) : null,
      )
      .catch(() => null);
    // A coordinator that has just started may still have no worker to schedule on.
    if (info && !info.starting && (await acceptsQueries(url))) {
      return { url, version: info.nodeVersion.version, startupMs: Date.now() - started, logPath, stop };
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Trino did not start within the time limit (${logPath}):\n${await logTail(logPath)}`);
    }
    await sleep(500);
  }
}
