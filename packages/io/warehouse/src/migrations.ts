/** One schema change. Versions only grow; a released migration's SQL never changes. */
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
