import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  removeEmbeddedPostgres,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@streampulse/embedded-postgres';

/** A database of its own for one test file, on $DATABASE_URL's server or an embedded one. */
export interface TestDatabase {
  /** URL of the test's own database. */
  url: string;
  /** URL of the same server with a database that does not exist. */
  missingDatabaseUrl: string;
  /** A pool on the test database; ended by `drop`. */
  pool(): pg.Pool;
  /** Ends the pools, drops the database and stops the embedded server if one was started. */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Creates a uniquely named database for one test file. Uses DATABASE_URL's server when set
 * (CI), else starts an embedded server in a temp dir (once per file).
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  let server: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    dataDir = await mkdtemp(join(tmpdir(), 'warehouse-test-'));
    server = await startEmbeddedPostgres({ dataDir });
    baseUrl = server.url;
  }
  const name = `wh_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  await admin.end();
  const url = withDatabase(baseUrl, name);
  const pools: pg.Pool[] = [];
  return {
    url,
    missingDatabaseUrl: withDatabase(baseUrl, `${name}_missing`),
    pool() {
      const pool = new pg.Pool({ connectionString: url, max: 4 });
      // Dropping the database (or stopping the embedded server) ends idle connections: expected.
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.map((pool) => pool.end()));
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      await client.end();
      await server?.stop();
      if (dataDir) await removeEmbeddedPostgres(dataDir);
    },
  };
}
