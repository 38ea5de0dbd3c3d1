// Test support: Lambda events and contexts as AWS sends them, for the trigger handlers' tests.
export { lambdaContext, sampleS3Event } from './events.js';
