import type pg from 'pg';
import { messageOf } from '@streampulse/errors';
import { WarehouseError } from './errors.js';
import { MIGRATIONS, migrationSteps, type Migration } from '@streampulse/contract-sql';
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
    // The same steps a Glue ETL plan sends before its first load: the migration lock (a
    // transaction-scoped lock is released by COMMIT or ROLLBACK, and also if the connection dies,
    // so a crashed process never blocks the next one), then each migration not yet recorded.
    for (const step of migrationSteps(migrations)) {
      current = step.migration;
      await client.query(step.sql);
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
