// The ETL job on DuckDB: the compiled contract SQL over a lake's raw files.
export {
  defaultGroupRows,
  runDuckdbEtl,
  runDuckdbTransform,
  type DuckdbEtlOptions,
  type DuckdbTransformSummary,
} from './duckdb-etl.js';
export { DuckdbEtlError, type DuckdbEtlErrorCode } from './errors.js';
