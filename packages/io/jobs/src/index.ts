export { EtlJobError } from './etl-job-error.js';
export { runEtlJob, type EtlJobOptions, type EtlProgress } from './etl-job.js';
export { runPlanEtlJob, type PlanEtlJobOptions } from './plan-etl-job.js';
export { failPlaybackFile, isFileFailure, listPlaybackObjects } from './playback-objects.js';
export { lakeSourceFile, lakeSourceFiles } from './lake-source.js';
export { OrderedSteps } from './ordered-steps.js';
export { silentLogger, type Logger } from './logger.js';
export { quarantineKey, quarantineLine, writeQuarantine } from './quarantine.js';
export {
  AGGREGATE_OBJECT_NAME,
  aggregateObjectKey,
  AggregateJobError,
  runAggregateJob,
  type AggregateDayReport,
  type AggregateFormat,
  type AggregateJobErrorCode,
  type AggregateJobOptions,
  type AggregateJobReport,
} from './aggregate-job.js';
