import { mkdirSync, statSync } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { LakeError } from './errors.js';
import type { Lake } from './lake.js';
import { DeferredLake } from './deferred-lake.js';
import { LocalLake } from './local-lake.js';
import { parseLakeRoot, s3Root } from './root.js';
import type { Logger } from '@streampulse/logging';

/**
 * Options of `openLake`.
 *
 * @example
 * const options: OpenLakeOptions = { env: process.env, createIfMissing: true };
 */
export interface OpenLakeOptions {
  /** Settings for `createS3Client` when no `s3Client` is given; pass `process.env` from the entry point. */
  env?: Record<string, string | undefined>;
  /** A ready client for S3 roots, used as is. */
  s3Client?: S3Client;
  /** Create a missing local root (and its parents) instead of failing. */
  createIfMissing?: boolean;
  /**
   * Hears (a warning, once per key) of what a listing leaves out on purpose: a local link
   * leading out of the lake, an S3 key with an empty, `.` or `..` segment.
   */
  logger?: Logger;
}

function openLocal(path: string, createIfMissing: boolean, logger?: Logger): LocalLake {
  try {
    if (createIfMissing) mkdirSync(path, { recursive: true });
    if (!statSync(path).isDirectory()) {
      throw new LakeError('invalid_root', `lake root ${path} is not a folder`);
    }
  } catch (error) {
    if (error instanceof LakeError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new LakeError('not_found', `lake root ${path} does not exist`, { cause: error });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new LakeError('access_denied', `lake root ${path} is not accessible: permission denied`, {
        cause: error,
      });
    }
    throw new LakeError('io', `cannot open lake root ${path}: ${(error as Error).message}`, { cause: error });
  }
  return new LocalLake(path, logger ? { logger } : {});
}

/**
 * Opens a lake root: a local path (resolved to absolute; a missing folder throws `LakeError` code 'not_found'
 * unless `createIfMissing`) or `s3://bucket[/prefix]` (checked on first use, not here; the S3
 * client and the SDK are loaded then too).
 *
 * @example
 * const lake = openLake('s3://my-bucket/lake', { env: process.env });
 * const local = openLake('./lake', { createIfMissing: true });
 */
export function openLake(root: string, options: OpenLakeOptions = {}): Lake {
  const parsed = parseLakeRoot(root);
  if (parsed.kind === 'local')
    return openLocal(parsed.path, options.createIfMissing ?? false, options.logger);
  const { bucket, prefix } = parsed;
  return new DeferredLake(s3Root(bucket, prefix), async () => {
    // Loaded on first use, with the AWS SDK: a command that never reaches S3 does not pay for it.
    const { createS3Client, S3Lake } = await import('./s3/index.js');
    const client = options.s3Client ?? createS3Client(options.env ?? {});
    return new S3Lake(client, bucket, prefix, options.logger ? { logger: options.logger } : {});
  });
}
