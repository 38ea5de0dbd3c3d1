export { EtlJobError } from './etl-job-error.js';
export type { EtlJobErrorCode } from './etl-job-error.js';
export { runEtlJob, type EtlJobOptions, type EtlProgress } from './etl-job.js';
export { runPlanEtlJob, type PlanEtlJobOptions } from './plan-etl-job.js';
export { failPlaybackFile, isFileFailure, listPlaybackObjects } from './playback-objects.js';
export { lakeSourceFile, lakeSourceFiles } from './lake-source.js';
export { OrderedSteps } from './ordered-steps.js';
export { quarantineKey, quarantineLine, writeQuarantine } from './quarantine.js';
// Their home is @streampulse/schema; re-exported because callers of the job name its objects.
export { AGGREGATE_OBJECT_NAME, aggregateObjectKey, type AggregateFormat } from '@streampulse/schema';
export {
  AggregateJobError,
  runAggregateJob,
  type AggregateDayReport,
  type AggregateJobErrorCode,
  type AggregateJobOptions,
  type AggregateJobReport,
} from './aggregate-job.js';
