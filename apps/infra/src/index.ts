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
