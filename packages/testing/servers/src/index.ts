export { startS3, type TestS3 } from './s3-server.js';
export { startMotoS3 } from './moto-server.js';
export { createTestDatabase, stopTestServer, type TestDatabase } from './test-database.js';
export { fakeGlueEndpoint, type GlueAnswer, type GlueRequest } from './fake-glue.js';
export { captured } from './captured.js';
