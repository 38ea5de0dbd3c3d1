export { LakeError, type LakeErrorCode } from './errors.js';
export type { DeletePrefixOptions, Lake, LakeBody, LakeObject, ReadOptions, WriteOptions } from './lake.js';
export { DeferredLake } from './deferred-lake.js';
export { LocalLake } from './local-lake.js';
export { openLake, type OpenLakeOptions } from './open-lake.js';
export { lakeUrl, parseLakeRoot, s3Root, type ParsedLakeRoot } from './root.js';
export { readObjectBytes } from './read-bytes.js';
