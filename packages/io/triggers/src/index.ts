// The trigger Lambdas' handlers, apart from their Lambda wiring: an event in, Glue runs started
// through a `JobLauncher`. The Lambdas build them from their environment; `streampulse put` runs
// the ETL trigger's own handler against a folder lake and a local launcher.
export type { EtlTriggerConfig } from './etl/config.js';
export { parseEnvironment, type EnvironmentResult } from './environment.js';
export { EtlTriggerError, type EtlTriggerErrorCode } from './etl/errors.js';
export {
  createEtlTriggerHandler,
  type EtlTriggerDeps,
  type EtlTriggerHandler,
  type EtlTriggerResult,
} from './etl/handler.js';
export {
  decodeS3EventKey,
  encodeS3EventKey,
  playbackObjects,
  s3ObjectCreatedEvent,
  type CreatedObject,
  type PlaybackObjects,
  type S3Event,
  type S3EventRecord,
} from './s3-event.js';
