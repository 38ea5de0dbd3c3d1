// The ETL job of the default engine alone: what `streampulse etl` loads at start-up. The package's
// main entry also carries the compiled-plan engine and the aggregation, which bring DuckDB.
export { EtlJobError, type EtlJobErrorCode } from './etl-job-error.js';
export { runEtlJob, type EtlJobOptions, type EtlProgress } from './etl-job.js';
