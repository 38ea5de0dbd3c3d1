/**
 * The warehouse's tables, by their qualified names: written once here and used by the loader,
 * the jobs and the compiled plans.
 *
 * @example
 * `SELECT count(*) FROM ${WAREHOUSE_TABLES.processed}`;
 */
export const WAREHOUSE_TABLES = {
  schema: 'processed',
  processed: 'processed.processed_data',
  ledger: 'processed.file_ledger',
  dayChanges: 'processed.day_changes',
  migrations: 'processed.schema_migrations',
} as const;
