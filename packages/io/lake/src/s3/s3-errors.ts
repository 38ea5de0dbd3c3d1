import type { S3Client } from '@aws-sdk/client-s3';
import { LakeError } from '../errors.js';

const DENIED = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
]);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Where requests go, for messages: the override if there is one, else the region's AWS endpoint. */
async function describeEndpoint(client: S3Client): Promise<string> {
  try {
    const endpoint = await client.config.endpoint?.();
    if (endpoint !== undefined) {
      const port = endpoint.port === undefined ? '' : `:${endpoint.port}`;
      return `${endpoint.protocol}//${endpoint.hostname}${port}${endpoint.path === '/' ? '' : endpoint.path}`;
    }
    return `the AWS S3 endpoint of ${await client.config.region()}`;
  } catch {
    return 'the S3 endpoint';
  }
}

/**
 * Turns an SDK or network error into a LakeError naming the bucket, key or endpoint. SDK messages are left
 * out on purpose: a signature mismatch echoes the string to sign and the access key id.
 */
export async function s3Error(
  error: unknown,
  context: { client: S3Client; bucket: string; root: string; action: string; key?: string },
): Promise<LakeError> {
  if (error instanceof LakeError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = shape.name ?? shape.Code ?? '';
  const status = shape.$metadata?.httpStatusCode;
  const { key, bucket, root, action } = context;
  const where = key === undefined ? `lake ${root}` : `key ${key} in lake ${root}`;
  const options = key === undefined ? { cause: error } : { key, cause: error };
  if (name === 'NoSuchBucket') {
    return new LakeError('not_found', `cannot ${action} ${where}: bucket ${bucket} does not exist`, options);
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return new LakeError('not_found', `cannot ${action} ${where}: not found`, options);
  }
  if (DENIED.has(name) || status === 403) {
    return new LakeError(
      'access_denied',
      `cannot ${action} ${where}: access denied (${name || 'HTTP 403'})`,
      options,
    );
  }
  if ((shape.code !== undefined && NETWORK.has(shape.code)) || name === 'TimeoutError') {
    const reason = shape.code ?? name;
    return new LakeError(
      'io',
      `cannot ${action} ${where}: cannot reach ${await describeEndpoint(context.client)}${reason ? ` (${reason})` : ''}`,
      options,
    );
  }
  if (status === undefined) {
    // Not an S3 answer: a client-side failure (no credentials, a broken body stream), whose message holds no secret.
    return new LakeError('io', `cannot ${action} ${where}: ${shape.message ?? String(error)}`, options);
  }
  return new LakeError(
    'io',
    `cannot ${action} ${where}: S3 answered ${name || 'an error'} (HTTP ${status})`,
    options,
  );
}
