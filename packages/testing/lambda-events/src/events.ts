import { decodeS3EventKey, s3ObjectCreatedEvent, type S3Event } from '@streampulse/triggers';

/**
 * The AWS sample S3 ObjectCreated:Put event (from the Lambda docs), one record per key; keys are
 * given as S3 sends them, URL-encoded with `+` for spaces.
 *
 * @example
 * await handler(sampleS3Event(['raw/playback/dt%3D2025-03-10/my+file.csv']), lambdaContext(30_000));
 */
export function sampleS3Event(keys: string[], bucket = 'streampulse-lake-123'): S3Event {
  return {
    Records: keys.flatMap((key) =>
      // The production builder encodes a real key; a test gives the key as S3 sends it.
      (
        s3ObjectCreatedEvent({
          bucket,
          key: decodeS3EventKey(key),
          size: 1024,
          eTag: '0123456789abcdef0123456789abcdef',
          time: new Date(0),
        }).Records ?? []
      ).map((record) => ({ ...record, s3: { ...record.s3, object: { ...record.s3?.object, key } } })),
    ),
  };
}

/**
 * A Lambda context with a fixed amount of time left, and the request id when one is given.
 *
 * @example
 * const context = lambdaContext(30_000, 'req-1');
 */
export function lambdaContext(
  remainingMs: number,
  awsRequestId?: string,
): { getRemainingTimeInMillis(): number; awsRequestId?: string } {
  return {
    getRemainingTimeInMillis: () => remainingMs,
    ...(awsRequestId === undefined ? {} : { awsRequestId }),
  };
}
