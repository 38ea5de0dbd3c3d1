// The ETL trigger Lambda: its environment and its entry point. The handler it wires up is
// `createEtlTriggerHandler` of `@streampulse/triggers`.
export { readEtlTriggerConfig } from './config.js';
export { handler } from './lambda.js';
