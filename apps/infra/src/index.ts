export { createApp, STACK_NAME } from './app.js';
export { bundleDir, glueRunnerPath, lambdaBundleCode, type LambdaApp } from './bundles.js';
export { deployLambdaMain, type DeployLambdaIo } from './deploy/deploy-lambda-main.js';
export {
  deployLambdaCode,
  type DeployLambdaCodeOptions,
  type LambdaCodeDeployment,
} from './deploy/lambda-code.js';
export {
  deployStack,
  diffTemplates,
  type DeployStackOptions,
  type RunCommand,
  type StackChanges,
} from './deploy/stack-deploy.js';
export { stackOutput } from './deploy/stack-outputs.js';
export { zipSingleFile } from './deploy/zip.js';
export { InfraError, type InfraErrorCode } from './errors.js';
export { PipelineAlarms, type PipelineAlarmsProps } from './constructs/alarms.js';
export { GlueJob, type GlueJobProps } from './constructs/glue-job.js';
export { LakeBucket, type LakeBucketProps } from './constructs/lake-bucket.js';
export { TriggerFunction, type TriggerFunctionProps } from './constructs/trigger-function.js';
export { WarehouseDatabase, type WarehouseDatabaseProps } from './constructs/warehouse-database.js';
export { StreamPulseStack, type StreamPulseStackProps } from './stack.js';
export {
  contextFromArgs,
  parseStackSettings,
  STACK_SETTING_NAMES,
  stackContext,
  stackSettingsSchema,
  type StackSettings,
  type StackSettingsInput,
} from './settings.js';
