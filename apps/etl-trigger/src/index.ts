export { readEtlTriggerConfig, type EtlTriggerConfig } from './config.js';
export { EtlTriggerError, type EtlTriggerErrorCode } from './errors.js';
export {
  createHandler,
  type EtlTriggerDeps,
  type EtlTriggerHandler,
  type EtlTriggerResult,
  type LambdaContext,
} from './handler.js';
export { handler } from './lambda.js';
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
