export { LakeError, type LakeErrorCode } from './errors.js';
export type { DeletePrefixOptions, Lake, LakeBody, LakeObject, ReadOptions, WriteOptions } from './lake.js';
export { LocalLake } from './local-lake.js';
export { openLake, type OpenLakeOptions } from './open-lake.js';
export { lakeUrl, parseLakeRoot, type ParsedLakeRoot } from './root.js';
export { readObjectBytes } from './read-bytes.js';
export { createS3Client } from './s3-client.js';
export { S3Lake, type S3LakeOptions } from './s3-lake.js';
