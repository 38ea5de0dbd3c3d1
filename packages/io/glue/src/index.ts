// Plans Glue job runs against a lake: what the trigger Lambdas compile before StartJobRun, and
// what the local runners (`glue-launcher start`, `streampulse put`, `streampulse etl --engine
// duckdb`) plan the same way.
export { delimitedHeader } from './header.js';
export {
  aggregationDays,
  changedDaysIn,
  dimensionJobFiles,
  etlRunFiles,
  glueChangedDaysKey,
  GLUE_REJECTED_PREFIX,
  glueRejectedKey,
  isChangedDaysPart,
  lakeRootOfOutputPath,
  planAggregateRun,
  planEtlRun,
  playbackJobFile,
  RunPlanError,
  uploadRunPlan,
  type AggregateRunPlanOptions,
  type EtlRunPlanOptions,
  type RunPlan,
  type RunPlanDeps,
  type RunPlanErrorCode,
} from './run-plans.js';
