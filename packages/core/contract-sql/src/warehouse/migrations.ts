import { sqlString } from '../sql-text.js';
import { MIGRATION_LOCK } from './locks.js';
import { WAREHOUSE_TABLES } from '@streampulse/schema';

/** One schema change. Versions only grow; a released migration's SQL never changes.
 *
 * @example
 * const migration: Migration = { version: 2, name: 'ledger engine column', sql: 'ALTER TABLE ...' };
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

// Written out rather than generated from PROCESSED_COLUMNS: a database migrated once must not
// change meaning when the code does. A test checks the table still matches PROCESSED_COLUMNS.
const processedTables = `
CREATE TABLE processed.processed_data (
  session_id   text COLLATE "C" NOT NULL PRIMARY KEY,
  user_id      text          NOT NULL,
  content_id   text          NOT NULL,
  title        text          NOT NULL,
  genre        text          NOT NULL,
  region       text          NOT NULL,
  device_type  text          NOT NULL,
  start_time   timestamptz   NOT NULL,
  end_time     timestamptz   NOT NULL,
  duration_min numeric(10,2) NOT NULL,
  event_date   date          NOT NULL
);
CREATE INDEX processed_data_event_date_idx ON processed.processed_data (event_date);

CREATE TABLE processed.file_ledger (
  key           text        NOT NULL PRIMARY KEY,
  etag          text        NOT NULL,
  size          bigint      NOT NULL,
  status        text        NOT NULL CHECK (status IN ('loaded', 'failed')),
  rows_read     bigint,
  rows_loaded   bigint,
  rows_rejected bigint,
  error         text,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz NOT NULL
);

-- A day is pending (its aggregates are stale) while aggregated_at is null or older than changed_at.
CREATE TABLE processed.day_changes (
  event_date    date        NOT NULL PRIMARY KEY,
  changed_at    timestamptz NOT NULL,
  aggregated_at timestamptz
);
`;

/** Every migration, oldest first. Append new ones at the end. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'processed tables', sql: processedTables },
];

/**
 * One statement of bringing a warehouse up to date, and the migration it applies (none for the
 * lock and the bookkeeping table).
 *
 * @example
 * const step: MigrationStep = { sql: 'CREATE SCHEMA IF NOT EXISTS processed' };
 */
export interface MigrationStep {
  readonly sql: string;
  readonly migration?: Migration;
}

/**
 * The statements that bring a warehouse's schema up to date, to run in order in one transaction:
 * the migration lock (so processes starting at once take turns), the schema and its bookkeeping
 * table, then each migration inside a block that applies it and records it only when it is not
 * recorded yet. Plain SQL with no client logic, so the local loader and a Glue job plan (which
 * can only send statements) migrate the same way, and a rerun changes nothing.
 *
 * @example
 * for (const step of migrationSteps()) await client.query(step.sql); // between BEGIN and COMMIT
 */
export function migrationSteps(migrations: readonly Migration[] = MIGRATIONS): MigrationStep[] {
  return [
    { sql: `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK[0]}, ${MIGRATION_LOCK[1]})` },
    { sql: `CREATE SCHEMA IF NOT EXISTS ${WAREHOUSE_TABLES.schema}` },
    {
      sql: `CREATE TABLE IF NOT EXISTS ${WAREHOUSE_TABLES.migrations} (
  version    integer     NOT NULL PRIMARY KEY,
  name       text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`,
    },
    ...migrations.map((migration) => ({
      migration,
      sql:
        `DO $migration$ BEGIN\n` +
        `IF NOT EXISTS (SELECT 1 FROM ${WAREHOUSE_TABLES.migrations} WHERE version = ${migration.version}) THEN\n` +
        `${migration.sql.trim().replace(/;\s*$/, '')};\n` +
        `INSERT INTO ${WAREHOUSE_TABLES.migrations} (version, name) VALUES (${migration.version}, ${sqlString(migration.name)});\n` +
        `END IF;\nEND $migration$`,
    })),
  ];
}
