// Runs compiled job plans as the Glue runner does: DuckDB in this process, or a local Spark (the
// Glue 5.0 runtime's 3.5.4) through the Glue runner script itself.
export { PlanRunError, type PlanRunErrorCode } from './errors.js';
export { databaseUrlOf, jdbcArguments } from './jdbc.js';
export type { PlanRunner } from './plan-runner.js';
export { DuckdbPlanRunner } from './duckdb/duckdb-runner.js';
export { readStoredPlan, runPlanWithDuckdb, withPlanViews, type PlanViews } from './duckdb/run-plan.js';
export { locateSpark, type SparkInstall } from './spark/install.js';
export { sparkEnvironment, sparkSubmitArgs, type SparkRunOptions } from './spark/submit-args.js';
export { SparkPlanRunner, type SparkRunnerOptions } from './spark/spark-runner.js';
