import type { S3Event } from '@streampulse/triggers';

/**
 * The AWS sample S3 ObjectCreated:Put event (from the Lambda docs), one record per key; keys are
 * given as S3 sends them, URL-encoded with `+` for spaces.
 *
 * @example
 * await handler(sampleS3Event(['raw/playback/dt%3D2025-03-10/my+file.csv']), lambdaContext(30_000));
 */
export function sampleS3Event(keys: string[], bucket = 'streampulse-lake-123'): S3Event {
  return {
    Records: keys.map((key) => ({
      eventVersion: '2.0',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '1970-01-01T00:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'EXAMPLE' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: {
        'x-amz-request-id': 'EXAMPLE123456789',
        'x-amz-id-2': 'EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH',
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'testConfigRule',
        bucket: {
          name: bucket,
          ownerIdentity: { principalId: 'EXAMPLE' },
          arn: `arn:aws:s3:::${bucket}`,
        },
        object: {
          key,
          size: 1024,
          eTag: '0123456789abcdef0123456789abcdef',
          sequencer: '0A1B2C3D4E5F678901',
        },
      },
    })),
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
