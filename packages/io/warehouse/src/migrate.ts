import type pg from 'pg';
import { messageOf, WarehouseError } from './errors.js';
import { MIGRATION_LOCK } from './locks.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { acquire, rollbackAndRelease } from './pool-client.js';

/**
 * Brings the warehouse schema up to date: schema `processed` with `processed_data`,
 * `file_ledger`, `day_changes` and `schema_migrations`. Idempotent, and safe when several
 * processes run it at once: an advisory lock makes them take turns, and the pending migrations
 * commit together with their rows in `processed.schema_migrations` (or not at all).
 *
 * @example
 * const pool = await connectWarehouse(url);
 * await migrate(pool);
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  await migrateTo(pool, MIGRATIONS);
}

/** {@link migrate} with an explicit list, so tests can append a migration. */
export async function migrateTo(pool: pg.Pool, migrations: readonly Migration[]): Promise<void> {
  const client = await acquire(pool);
  let current: Migration | undefined;
  try {
    await client.query('BEGIN');
    // A transaction-scoped lock is released by COMMIT or ROLLBACK, and also if the connection
    // dies, so a crashed process never blocks the next one.
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK]);
    await client.query('CREATE SCHEMA IF NOT EXISTS processed');
    await client.query(
      `CREATE TABLE IF NOT EXISTS processed.schema_migrations (
         version    integer     NOT NULL PRIMARY KEY,
         name       text        NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const applied = await client.query<{ version: number }>(
      'SELECT version FROM processed.schema_migrations',
    );
    const done = new Set(applied.rows.map((row) => row.version));
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      current = migration;
      await client.query(migration.sql);
      await client.query('INSERT INTO processed.schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    current = undefined;
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    await rollbackAndRelease(client);
    const what = current ? `migration ${current.version} (${current.name})` : 'migrating';
    throw new WarehouseError('migration_failed', `${what} failed: ${messageOf(error)}`, { cause: error });
  }
}
