// The data contract compiled into SQL: one plan, rendered per engine by a small dialect layer.
export { SqlPlanError, type SqlPlanErrorCode } from './errors.js';
export { sqlString } from './sql-text.js';
export { JSON_KINDS, type Captures, type Dialect, type DialectName, type UnreadableFile } from './dialect.js';
export { DUCKDB, duckdbJsonKindOf, duckdbJsonTextOf } from './dialects/duckdb.js';
export { POSTGRES } from './dialects/postgres.js';
export { SPARK } from './dialects/spark.js';
export { TRINO } from './dialects/trino.js';
export {
  JS_WHITE_SPACE,
  PORTABLE_TIMESTAMP_FORMS,
  portablePattern,
  TIMESTAMP_GROUP_ROLES,
  type PortablePattern,
  type TimestampPart,
} from './patterns.js';
export {
  CONTENT_FIELDS,
  dedupeSql,
  delimitedFieldColumns,
  dimensionSql,
  PLAYBACK_FIELDS,
  PLAYBACK_RESULT_COLUMNS,
  playbackSql,
  processedColumnsSql,
  recordFieldsSql,
  USER_FIELDS,
  type DimensionRelations,
  type RecordSource,
} from './etl-plan.js';
export { compileAggregateSql, type AggregateSql, type AggregateSqlOptions } from './aggregate-sql.js';
export {
  compileAggregateJobPlan,
  compileEtlJobPlan,
  JOB_PLAN_VERSION,
  RUN_ID_TOKEN,
  type AggregateJobPlanOptions,
  type EtlJobPlanOptions,
  type JobFile,
  type JobInput,
  type JobOutput,
  type JobPlan,
  type JobStatement,
} from './job-plan.js';
export {
  compileAthenaAggregateUnloads,
  type AthenaUnload,
  type AthenaUnloadOptions,
} from './athena-unload.js';
export { timestampValuesSql } from './timestamps.js';
export {
  collapseWhiteSpace,
  deviceType,
  genre,
  identifier,
  isMissingText,
  jsTrim,
  presentText,
  region,
  title,
  type RawValue,
} from './rules.js';
export { LOAD_LOCK, MIGRATION_LOCK } from './warehouse/locks.js';
export { LOAD_LOCK_SQL, mergeSideRowsSql, mergeStagedRowsSql } from './warehouse/merge.js';
export { MIGRATIONS, migrationSteps, type Migration, type MigrationStep } from './warehouse/migrations.js';
// Re-exported for the packages that take their SQL vocabulary from here; its home is schema.
export { WAREHOUSE_TABLES } from '@streampulse/schema';
