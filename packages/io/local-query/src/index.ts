export { aggregateParquetCsv } from './aggregate-parquet.js';
export { LocalQueryError, type LocalQueryErrorCode } from './errors.js';
export { openLocalQuery, type LocalQuery, type LocalQueryOptions, type QueryResult } from './local-query.js';
