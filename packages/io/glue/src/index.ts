// The Glue jobs' io: plans a run against a lake (what the trigger Lambdas compile before
// StartJobRun, and what the local runners — `glue-launcher start`, `streampulse put`,
// `streampulse etl --engine duckdb` — plan the same way), then starts it and waits for it behind
// one interface (`JobLauncher`). The local backends (Spark, DuckDB) are the `./local` subpath, so
// the Lambdas' bundles never pull in DuckDB, the warehouse or child processes.
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

export { systemClock, type LauncherClock } from './clock.js';
export { describeRun } from './describe.js';
export { GlueLauncherError, type GlueLauncherErrorCode } from './errors.js';
export { createGlueClient, GlueJobLauncher, type GlueClientOptions } from './glue-launcher.js';
export {
  TERMINAL_STATES,
  validateStartRequest,
  type JobArguments,
  type JobLauncher,
  type JobRunRef,
  type JobRunState,
  type JobRunStatus,
  type StartJobRunRequest,
  type WaitOptions,
} from './launcher.js';
export {
  lambdaRetryDeps,
  startJobRunWithRetry,
  type RetryDeps,
  type RetryPolicy,
  type StartedRun,
} from './retry.js';
export { invocationLogger, type LambdaContext, type TriggerRuntime } from './trigger-runtime.js';
