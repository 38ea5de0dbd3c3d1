import { PROCESSED_COLUMNS } from '@streampulse/schema';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { migrate, WarehouseError } from '../src/index.js';
import { migrateTo } from '../src/migrate.js';
import { MIGRATIONS } from '@streampulse/contract-sql';

afterAll(stopTestServer);

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase('migrate');
  pool = db.pool;
});
afterAll(async () => {
  await db?.drop();
});

async function columns(table: string): Promise<{ name: string; type: string; nullable: boolean }[]> {
  const result = await pool.query<{ name: string; type: string; nullable: boolean }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
       FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [table],
  );
  return result.rows;
}

async function primaryKey(table: string): Promise<string[]> {
  const result = await pool.query<{ name: string }>(
    `SELECT a.attname AS name
       FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary`,
    [table],
  );
  return result.rows.map((row) => row.name);
}

describe('migrate', () => {
  it('runs concurrently from two pools and then again, applying each migration once', async () => {
    const other = db.newPool();
    await Promise.all([migrate(pool), migrate(other), migrate(pool)]);
    await migrate(other);
    const applied = await pool.query<{ version: number }>(
      'SELECT version FROM processed.schema_migrations ORDER BY version',
    );
    expect(applied.rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('creates processed_data with the columns and types of PROCESSED_COLUMNS, keyed by session_id', async () => {
    const found = await columns('processed.processed_data');
    expect(found.map(({ name, type }) => ({ name, type }))).toEqual(
      PROCESSED_COLUMNS.map((c) => ({
        name: c.name,
        type: c.postgres === 'timestamptz' ? 'timestamp with time zone' : c.postgres,
      })),
    );
    expect(await primaryKey('processed.processed_data')).toEqual(['session_id']);
  });

  it('indexes processed_data on event_date', async () => {
    const result = await pool.query<{ def: string }>(
      `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'processed' AND tablename = 'processed_data'`,
    );
    expect(result.rows.map((row) => row.def)).toContainEqual(
      expect.stringMatching(/USING btree \(event_date\)$/),
    );
  });

  it('creates file_ledger and day_changes as specified', async () => {
    expect(await columns('processed.file_ledger')).toEqual([
      { name: 'key', type: 'text', nullable: false },
      { name: 'etag', type: 'text', nullable: false },
      { name: 'size', type: 'bigint', nullable: false },
      { name: 'status', type: 'text', nullable: false },
      { name: 'rows_read', type: 'bigint', nullable: true },
      { name: 'rows_loaded', type: 'bigint', nullable: true },
      { name: 'rows_rejected', type: 'bigint', nullable: true },
      { name: 'error', type: 'text', nullable: true },
      { name: 'started_at', type: 'timestamp with time zone', nullable: false },
      { name: 'finished_at', type: 'timestamp with time zone', nullable: false },
    ]);
    expect(await primaryKey('processed.file_ledger')).toEqual(['key']);
    expect(await columns('processed.day_changes')).toEqual([
      { name: 'event_date', type: 'date', nullable: false },
      { name: 'changed_at', type: 'timestamp with time zone', nullable: false },
      { name: 'aggregated_at', type: 'timestamp with time zone', nullable: true },
    ]);
    expect(await primaryKey('processed.day_changes')).toEqual(['event_date']);
    await expect(
      pool.query(
        `INSERT INTO processed.file_ledger (key, etag, size, status, started_at, finished_at) VALUES ('k', 'e', 1, 'maybe', now(), now())`,
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('applies a later migration appended to the list, and only that one', async () => {
    const next = {
      version: 1000,
      name: 'test addition',
      sql: 'CREATE TABLE processed.test_addition (id int)',
    };
    await migrateTo(pool, [...MIGRATIONS, next]);
    await migrateTo(pool, [...MIGRATIONS, next]);
    const applied = await pool.query<{ version: number }>(
      'SELECT version FROM processed.schema_migrations ORDER BY version',
    );
    expect(applied.rows.map((row) => row.version)).toEqual([...MIGRATIONS.map((m) => m.version), 1000]);
  });

  it('reports a failing migration as migration_failed, naming it, and applies none of the batch', async () => {
    const good = { version: 2000, name: 'good', sql: 'CREATE TABLE processed.good_one (id int)' };
    const bad = { version: 2001, name: 'broken', sql: 'CREATE TABLE processed.bad_one (id no_such_type)' };
    const error: unknown = await migrateTo(pool, [...MIGRATIONS, good, bad]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).code).toBe('migration_failed');
    expect((error as WarehouseError).message).toMatch(/^migration 2001 \(broken\) failed: .*no_such_type/);
    const table = await pool.query(`SELECT to_regclass('processed.good_one') AS t`);
    expect(table.rows[0]).toEqual({ t: null });
  });
});
