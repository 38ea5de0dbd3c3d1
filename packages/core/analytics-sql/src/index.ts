export {
  ATHENA_DATABASE,
  athenaScript,
  athenaStatements,
  type AthenaDdlOptions,
  type AthenaStatement,
} from './athena.js';
export { createViewSql, DASHBOARD_VIEWS, type DashboardView } from './dashboard-views.js';
export { localTableSql, partitionGlob, type LocalTableSources } from './duckdb.js';
export { AnalyticsSqlError, type AnalyticsSqlErrorCode } from './errors.js';
export { AGGREGATE_COLUMNS, PARTITION_COLUMNS, type AggregateFileFormat } from './tables.js';
export { SAMPLE_QUERY, TOP_TITLES_QUERY } from './sample-query.js';
export { ATHENA_FUNCTION_MACROS } from './athena-functions.js';
