import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectWarehouse, startEmbeddedPostgres, type EmbeddedPostgres } from '@streampulse/warehouse';
import type pg from 'pg';

/** A database of its own for one test file or case. */
export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  /** Ends the pool and drops the database (and stops an embedded server this call started). */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on $DATABASE_URL's server (CI), else on an embedded server
 * started for it, so test files never see each other's rows.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  let server: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    dataDir = await mkdtemp(join(tmpdir(), 'jobs-test-pg-'));
    server = await startEmbeddedPostgres({ dataDir });
    baseUrl = server.url;
  }
  const name = `jobs_${label}_${randomBytes(4).toString('hex')}`;
  const admin = await connectWarehouse(baseUrl, { max: 1 });
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  // connectWarehouse's pool ignores errors of idle clients: DROP ... WITH (FORCE) below may still
  // find one that pool.end() is closing.
  const pool = await connectWarehouse(url.toString(), { max: 4 });
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const dropper = await connectWarehouse(baseUrl, { max: 1 });
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
      await server?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
