// The ETL job on DuckDB: the compiled contract SQL over a lake's raw files.
export { runDuckdbEtl, type DuckdbEtlOptions } from './duckdb-etl.js';
export { DuckdbEtlError, type DuckdbEtlErrorCode } from './errors.js';
