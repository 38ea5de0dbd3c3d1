// The jobs, composed from the lake, the warehouse and the pure core. What a caller runs and the
// reports it gets back; the steps inside them stay private to this package.
export { EtlJobError, type EtlJobErrorCode } from './etl-job-error.js';
export { runEtlJob, type EtlJobOptions, type EtlProgress } from './etl-job.js';
export { runPlanEtlJob, type PlanEtlJobOptions } from './plan-etl-job.js';
export { lakeSourceFile } from './lake-source.js';
export { quarantineKey } from './quarantine.js';
export {
  AggregateJobError,
  runAggregateJob,
  type AggregateDayReport,
  type AggregateJobErrorCode,
  type AggregateJobOptions,
  type AggregateJobReport,
} from './aggregate-job.js';
