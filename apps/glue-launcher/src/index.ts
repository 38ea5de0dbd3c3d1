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
export type { LambdaContext, TriggerRuntime } from './trigger-runtime.js';
