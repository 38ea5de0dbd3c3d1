import { describe, expect, it } from 'vitest';
import { decodeS3EventKey, encodeS3EventKey, playbackObjects, s3ObjectCreatedEvent } from '../src/index.js';

describe('S3 event keys', () => {
  it('decodes + as a space before percent-decoding, so an encoded + stays a plus', () => {
    expect(decodeS3EventKey('raw/playback/dt%3D2025-03-10/my+file%2B1.csv')).toBe(
      'raw/playback/dt=2025-03-10/my file+1.csv',
    );
  });

  it('encodes keys as S3 does and decodes them back', () => {
    const key = 'raw/playback/dt=2025-03-10/my file+ü (1).csv';
    expect(encodeS3EventKey('raw/playback/dt=2025-03-10/my file.csv')).toBe(
      'raw/playback/dt%3D2025-03-10/my+file.csv',
    );
    expect(decodeS3EventKey(encodeS3EventKey(key))).toBe(key);
  });

  it('ignores a key that is not valid percent-encoding instead of failing the event', () => {
    const event = s3ObjectCreatedEvent({ bucket: 'b', key: 'raw/playback/a.csv', size: 1, eTag: 'e' });
    const record = event.Records?.[0];
    if (record?.s3?.object) record.s3.object.key = 'raw/playback/%E0%A4%A.csv';
    expect(playbackObjects(event, 'raw/playback/')).toEqual({
      objects: [],
      ignored: [{ key: 'raw/playback/%E0%A4%A.csv', reason: 'undecodable' }],
    });
  });

  it('builds the ObjectCreated:Put event a bucket sends, with the key encoded', () => {
    const event = s3ObjectCreatedEvent({
      bucket: 'lake',
      key: 'raw/playback/my file.csv',
      size: 12,
      eTag: 'abc',
      time: new Date('2025-03-10T00:00:00Z'),
    });
    expect(event.Records?.[0]).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      eventTime: '2025-03-10T00:00:00.000Z',
      s3: {
        bucket: { name: 'lake', arn: 'arn:aws:s3:::lake' },
        object: { key: 'raw/playback/my+file.csv', size: 12, eTag: 'abc' },
      },
    });
    expect(playbackObjects(event, 'raw/playback/').objects).toEqual([
      { bucket: 'lake', key: 'raw/playback/my file.csv', inputPath: 's3://lake/raw/playback/my file.csv' },
    ]);
  });
});
