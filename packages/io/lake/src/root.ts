import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LakeError } from './errors.js';

/**
 * Where a lake root points.
 *
 * @example
 * const parsed: ParsedLakeRoot = { kind: 's3', bucket: 'lake', prefix: 'prod' };
 */
export type ParsedLakeRoot = { kind: 'local'; path: string } | { kind: 's3'; bucket: string; prefix: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
// Lenient on purpose: old us-east-1 buckets may hold capitals and underscores.
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function invalid(root: string, why: string): LakeError {
  return new LakeError('invalid_root', `invalid lake root ${JSON.stringify(root)}: ${why}`);
}

/**
 * Splits a lake root into a local path (resolved to absolute against the working directory) or an S3 bucket
 * and prefix (without leading or trailing '/'). `file://` URLs are local paths; any other scheme, an empty
 * root or an `s3://` root without a bucket throws `LakeError` code 'invalid_root'.
 *
 * @example
 * parseLakeRoot('s3://my-bucket/lake/prod/'); // { kind: 's3', bucket: 'my-bucket', prefix: 'lake/prod' }
 * parseLakeRoot('./lake'); // { kind: 'local', path: '/home/me/project/lake' }
 */
export function parseLakeRoot(root: string): ParsedLakeRoot {
  if (root.trim() === '') throw invalid(root, 'it is empty');
  const scheme = SCHEME.exec(root)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'local', path: resolve(root) };
  if (scheme === 'file') {
    try {
      return { kind: 'local', path: fileURLToPath(root) };
    } catch (error) {
      throw new LakeError('invalid_root', `invalid lake root ${JSON.stringify(root)}: not a file URL`, {
        cause: error,
      });
    }
  }
  if (scheme !== 's3')
    throw invalid(root, `unsupported scheme ${scheme}:// (expected a path or s3://bucket/prefix)`);
  const rest = root.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  if (!BUCKET.test(bucket)) {
    throw invalid(
      root,
      bucket === '' ? 'no bucket (expected s3://bucket/prefix)' : `bad bucket name ${bucket}`,
    );
  }
  const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  if (prefix.split('/').some((s) => s === '' || s === '.' || s === '..') && prefix !== '') {
    throw invalid(root, "the prefix has an empty, '.' or '..' segment");
  }
  return { kind: 's3', bucket, prefix };
}

/**
 * A lake root as the URL an engine reads it by: `s3://bucket[/prefix]` as it is, a folder as a
 * `file://` URL. Keys join it with `/`.
 *
 * @example
 * lakeUrl('/data/lake'); // 'file:///data/lake'
 * lakeUrl('s3://lake/prod/'); // 's3://lake/prod'
 */
export function lakeUrl(root: string): string {
  const parsed = parseLakeRoot(root);
  if (parsed.kind === 's3') return s3Root(parsed.bucket, parsed.prefix);
  return pathToFileURL(parsed.path).href.replace(/\/+$/, '');
}

/**
 * The root of a lake in `bucket` under `prefix` (leading and trailing '/' dropped), as an
 * S3 lake names itself.
 *
 * @example
 * s3Root('lake', '/prod/'); // 's3://lake/prod'
 * s3Root('lake', ''); // 's3://lake'
 */
export function s3Root(bucket: string, prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? `s3://${bucket}` : `s3://${bucket}/${trimmed}`;
}
