// The S3 face of the lake: what loads the AWS SDK. `openLake` reaches it on first use of an
// `s3://` root; import it directly to build clients or lakes of one's own.
export { createS3Client } from './s3-client.js';
export { S3Lake, type S3LakeOptions } from './s3-lake.js';
