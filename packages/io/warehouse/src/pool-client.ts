import type pg from 'pg';
import { connectionError } from './connect.js';
import { databaseTarget, type DatabaseTarget } from './url.js';

/** Where a pool points, for messages, from its URL or its separate settings. */
export function poolTarget(pool: pg.Pool): DatabaseTarget {
  const { connectionString, host, port, database, user } = pool.options;
  const fromUrl = connectionString ? databaseTarget(connectionString) : undefined;
  return fromUrl ?? { host: host ?? 'localhost', port: port ?? 5432, database, user };
}

/** A client from the pool; failing to get one is reported as the connection problem it is. */
export async function acquire(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw connectionError(error, poolTarget(pool));
  }
}

/**
 * Ends a transaction that failed and returns the client. A client whose ROLLBACK fails too is
 * broken (connection lost, protocol out of step) and is destroyed rather than reused.
 */
export async function rollbackAndRelease(client: pg.PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch (error) {
    client.release(error instanceof Error ? error : true);
  }
}

/** Runs `work` on a pooled client and returns it whatever happens. */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await acquire(pool);
  try {
    return await work(client);
  } finally {
    client.release();
  }
}
