// The local backends: the Glue jobs' own plans run on this machine's Spark or on DuckDB. Apart
// from the main entry, so the trigger Lambdas' bundles never pull in DuckDB or child processes.
export {
  dialectOf,
  localPlanRunner,
  planLocalRun,
  RUNNER_SCRIPT,
  SPARK_CACHE,
  type LocalBackend,
} from './local-runs.js';
export { PlanJobLauncher, type PlanLauncherOptions } from './plan-launcher.js';
