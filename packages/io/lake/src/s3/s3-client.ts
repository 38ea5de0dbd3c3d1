import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

function setting(env: Record<string, string | undefined>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/**
 * An S3 client configured from `env` (pass `process.env` from the entry point), with the SDK's standard names:
 * region from AWS_REGION or AWS_DEFAULT_REGION (else us-east-1); an endpoint override from
 * AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL; keys from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN when set (otherwise the SDK's default chain: profiles, instance and task roles);
 * AWS_MAX_ATTEMPTS for retries.
 *
 * @example
 * const client = createS3Client(process.env);
 * const lake = new S3Lake(client, 'my-bucket', 'lake/prod');
 */
export function createS3Client(env: Record<string, string | undefined>): S3Client {
  const config: S3ClientConfig = {
    region: setting(env, 'AWS_REGION', 'AWS_DEFAULT_REGION') ?? 'us-east-1',
  };
  const endpoint = setting(env, 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL');
  if (endpoint !== undefined) {
    config.endpoint = endpoint;
    // S3-compatible servers (MinIO, s3rver, LocalStack) rarely serve virtual-host buckets, and some store
    // the SDK's default aws-chunked checksum framing inside the object instead of decoding it.
    config.forcePathStyle = true;
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  const accessKeyId = setting(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = setting(env, 'AWS_SECRET_ACCESS_KEY');
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    const sessionToken = setting(env, 'AWS_SESSION_TOKEN');
    config.credentials = {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken === undefined ? {} : { sessionToken }),
    };
  }
  const maxAttempts = Number(setting(env, 'AWS_MAX_ATTEMPTS'));
  if (Number.isInteger(maxAttempts) && maxAttempts > 0) config.maxAttempts = maxAttempts;
  return new S3Client(config);
}
