import { startEmbeddedPostgres, type EmbeddedPostgres } from '@streampulse/embedded-postgres';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

let embedded: Promise<EmbeddedPostgres> | undefined;

/** The server tests run against: DATABASE_URL when set, else one embedded server per test file. */
async function serverUrl(): Promise<string> {
  const url = process.env.DATABASE_URL;
  if (url) return url;
  embedded ??= startEmbeddedPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'streampulse-test-pg-')) });
  return (await embedded).url;
}

/** A fresh, empty database on the test server, and a way to drop it. */
export interface TestDatabase {
  url: string;
  /** The same server with a database name that does not exist (for connection-failure tests). */
  missingDatabaseUrl: string;
  pool: pg.Pool;
  /** Another pool on the database (a second client, a concurrent load); `drop` ends it. */
  newPool(): pg.Pool;
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database so test files (and tests) never see each other's rows.
 * Without DATABASE_URL, the first call of a test file starts an embedded server for the file;
 * call {@link stopTestServer} in `afterAll`.
 *
 * @example
 * afterAll(stopTestServer);
 * const db = await createTestDatabase('golden');
 * try { ... db.pool ... } finally { await db.drop(); }
 */
export async function createTestDatabase(label = 'db'): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: await serverUrl() });
  await admin.connect();
  const name = `sp_${label
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '_')
    .slice(0, 20)}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(await serverUrl());
  url.pathname = `/${name}`;
  const missing = new URL(url);
  missing.pathname = `/${name}_missing`;
  const pools: pg.Pool[] = [];
  const newPool = (): pg.Pool => {
    const pool = new pg.Pool({ connectionString: url.toString(), max: 6 });
    // DROP DATABASE ... WITH (FORCE) ends idle connections; an idle client's error is expected then.
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  return {
    url: url.toString(),
    missingDatabaseUrl: missing.toString(),
    pool: newPool(),
    newPool,
    async drop() {
      await Promise.all(pools.map((pool) => pool.end()));
      const client = new pg.Client({ connectionString: await serverUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Stops the embedded server if this test file started one. */
export async function stopTestServer(): Promise<void> {
  if (embedded) await (await embedded).stop();
  embedded = undefined;
}
