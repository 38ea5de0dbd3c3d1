import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectWarehouse, migrate, WarehouseError } from '@streampulse/warehouse';
import { binariesFor, locateBinaries, reachableTemp } from '../src/embedded-binaries.js';
import { removeEmbeddedPostgres, resolveDatabase, startEmbeddedPostgres } from '../src/index.js';
import { textLineLogger } from '@streampulse/logging';

// One embedded cluster for the whole file, started and stopped several times: the first start
// runs initdb, later ones reuse it.
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'warehouse-embedded-'));
});
afterAll(async () => {
  await removeEmbeddedPostgres(dataDir);
});

async function pgdataOf(): Promise<string> {
  const settings = JSON.parse(await readFile(join(dataDir, 'embedded-postgres.json'), 'utf8')) as {
    pgdata: string;
  };
  return settings.pgdata;
}

async function serverPid(): Promise<number> {
  return Number((await readFile(join(await pgdataOf(), 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** Whether `pid` runs; a zombie (exited, waiting for init to reap it) does not. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // No /proc (macOS): kill() is all there is.
  }
}

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', { timeout: 60_000 }, () => {
  it('starts from a folder only its owner may enter, serves queries, prints nothing, and stop() stops it', async () => {
    const writes = [
      vi.spyOn(process.stdout, 'write'),
      vi.spyOn(process.stderr, 'write'),
      vi.spyOn(console, 'log'),
    ];
    const server = await startEmbeddedPostgres({ dataDir, database: 'streampulse' });
    for (const spy of writes) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
    expect(server.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/streampulse$/);
    const pool = await connectWarehouse(server.url);
    await migrate(pool);
    await pool.query('CREATE TABLE kept (id int)');
    const version = await pool.query<{ server_version: string }>('SHOW server_version');
    expect(version.rows[0]?.server_version).toMatch(/^18\./);
    await pool.end();

    const pid = await serverPid();
    expect(isAlive(pid)).toBe(true);
    await server.stop();
    await server.stop();
    expect(isAlive(pid)).toBe(false);
    await expect(stat(join(await pgdataOf(), 'postmaster.pid'))).rejects.toThrow();
    await expect(connectWarehouse(server.url)).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('reuses the cluster on the next start', async () => {
    const lines: string[] = [];
    const server = await startEmbeddedPostgres({
      dataDir,
      database: 'streampulse',
      logger: textLineLogger((line) => lines.push(line)),
    });
    try {
      expect(lines.some((line) => line.startsWith('reusing'))).toBe(true);
      expect(lines.some((line) => line.startsWith('initialising'))).toBe(false);
      expect(await query(server.url, `SELECT to_regclass('public.kept')::text AS t`)).toEqual([
        { t: 'kept' },
      ]);
    } finally {
      await server.stop();
    }
  });

  it('reports a wrong password as auth_failed without the password', async () => {
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      const url = new URL(server.url);
      url.password = 'Wr0ngPassw0rd';
      const error: unknown = await connectWarehouse(url.toString()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WarehouseError);
      expect((error as WarehouseError).code).toBe('auth_failed');
      expect((error as WarehouseError).message).toBe(
        `PostgreSQL at 127.0.0.1:${url.port} rejected the password of user "postgres"`,
      );
      url.password = '';
      const missing: unknown = await connectWarehouse(url.toString()).catch((e: unknown) => e);
      expect(missing).toMatchObject({ code: 'auth_failed' });
    } finally {
      await server.stop();
    }
  });

  it('recovers from a crashed run: stops a server left running, drops a stale postmaster.pid', async () => {
    // A run that crashed without stop(): its server is still up when the next run starts.
    const crashed = await startEmbeddedPostgres({ dataDir });
    const orphan = await serverPid();
    const next = await startEmbeddedPostgres({ dataDir });
    expect(isAlive(orphan)).toBe(false);
    expect(await query(next.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await next.stop();
    void crashed;

    // The server itself was killed: its pid file stays behind, naming a dead process.
    const killed = await startEmbeddedPostgres({ dataDir });
    const killedPid = await serverPid();
    process.kill(killedPid, 'SIGKILL');
    await vi.waitUntil(() => !isAlive(killedPid), { timeout: 10_000 });
    const afterKill = await startEmbeddedPostgres({ dataDir });
    expect(await query(afterKill.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await afterKill.stop();
    void killed;

    // The pid file names a live process that is not PostgreSQL (pid reuse after a restart).
    const pgdata = await pgdataOf();
    await writeFile(join(pgdata, 'postmaster.pid'), `${process.pid}\n${pgdata}\n`);
    const lines: string[] = [];
    const recovered = await startEmbeddedPostgres({
      dataDir,
      logger: textLineLogger((line) => lines.push(line)),
    });
    expect(lines.some((line) => line.startsWith('removing stale'))).toBe(true);
    expect(await query(recovered.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await recovered.stop();
  });
});

describe('resolveDatabase', { timeout: 60_000 }, () => {
  it('prefers the given URL, then DATABASE_URL, and starts nothing for them', async () => {
    const given = await resolveDatabase({
      databaseUrl: 'postgres://a@h/given',
      env: { DATABASE_URL: 'postgres://b@h/env' },
      embeddedDir: dataDir,
    });
    expect([given.url, given.embedded]).toEqual(['postgres://a@h/given', false]);
    await given.close();
    const fromEnv = await resolveDatabase({
      env: { DATABASE_URL: 'postgres://b@h/env' },
      embeddedDir: dataDir,
    });
    expect([fromEnv.url, fromEnv.embedded]).toEqual(['postgres://b@h/env', false]);
  });

  it('falls back to the embedded server with database streampulse, and close() stops it', async () => {
    const resolved = await resolveDatabase({
      databaseUrl: '',
      env: { DATABASE_URL: '' },
      embeddedDir: dataDir,
    });
    expect(resolved.embedded).toBe(true);
    expect(await query(resolved.url, 'SELECT current_database() AS db')).toEqual([{ db: 'streampulse' }]);
    const pid = await serverPid();
    await resolved.close();
    expect(isAlive(pid)).toBe(false);
  });
});

describe.runIf(process.getuid?.() === 0)('embedded binaries as root', { timeout: 60_000 }, () => {
  const postgresUser = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  });

  it('keeps files for user postgres in /tmp when TMPDIR is a folder it cannot enter', async () => {
    const hidden = await mkdtemp(join(tmpdir(), 'warehouse-tmpdir-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = hidden;
    try {
      expect(await reachableTemp(postgresUser())).toBe('/tmp');
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await rm(hidden, { recursive: true, force: true });
    }
  });

  it('copies the binaries somewhere user postgres can run them when node_modules is out of its reach', async () => {
    const located = await locateBinaries();
    const hidden = await mkdtemp(join(tmpdir(), 'warehouse-hidden-')); // mode 700, owned by root
    const native = dirname(dirname(located.postgres));
    await cp(native, join(hidden, 'native'), { recursive: true, verbatimSymlinks: true });
    const inHidden = (path: string): string => join(hidden, 'native', path.slice(native.length));
    const runAs = postgresUser();
    const lines: string[] = [];
    const usable = await binariesFor(
      {
        ...located,
        postgres: inHidden(located.postgres),
        initdb: inHidden(located.initdb),
        pg_ctl: inHidden(located.pg_ctl),
      },
      runAs,
      (line) => lines.push(line),
    );
    try {
      expect(usable.postgres.startsWith(hidden)).toBe(false);
      expect(lines.some((line) => line.startsWith('copying PostgreSQL binaries'))).toBe(true);
      const version = execFileSync(usable.postgres, ['--version'], {
        uid: runAs.uid,
        gid: runAs.gid,
        encoding: 'utf8',
      });
      expect(version).toMatch(/PostgreSQL\) 18/);
    } finally {
      await rm(hidden, { recursive: true, force: true });
      await rm(dirname(dirname(usable.postgres)), { recursive: true, force: true });
    }
  });
});
