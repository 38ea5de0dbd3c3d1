// The deploy and smoke tools: they compile plans and read results with DuckDB, so they live on
// their own subpath (`@streampulse/glue-launcher/cloud`) and stay out of the Lambda bundles.
export {
  deploy,
  deployPlans,
  deployUploads,
  diffJob,
  jobDefinitions,
  type DeployDeps,
  type DeployOptions,
  type DeployResult,
  type DeployUpload,
  type JobChange,
  type JobDefinition,
} from './deploy.js';
export {
  caseJobFiles,
  compareCase,
  compareCsv,
  formatSmokeTable,
  readSmokeCase,
  runSmoke,
  type SmokeCase,
  type SmokeCheck,
  type SmokeDeps,
  type SmokeOptions,
  type SmokeSource,
} from './smoke.js';
export { warehouseSmokeSource } from './smoke-source.js';
