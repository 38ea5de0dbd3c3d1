export { readAggregateTriggerConfig, type AggregateTriggerConfig } from './config.js';
export { AggregateTriggerError, type AggregateTriggerErrorCode } from './errors.js';
export {
  createHandler,
  type AggregateTriggerDeps,
  type AggregateTriggerHandler,
  type AggregateTriggerResult,
  type LambdaContext,
  type ScheduledEvent,
} from './handler.js';
export { handler } from './lambda.js';
export { reportingDayEndedBy } from './run-date.js';
