/**
 * The parts of an S3 event notification the trigger reads (the shape S3 sends Lambda).
 *
 * @example
 * const event: S3Event = { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'lake' }, object: { key: 'raw/playback/a.csv' } } }] };
 */
export interface S3Event {
  Records?: S3EventRecord[];
}

/**
 * One record of an S3 event; `s3.object.key` is URL-encoded, with `+` for spaces.
 *
 * @example
 * const record: S3EventRecord = { eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'lake' }, object: { key: 'raw/playback/my+file.csv' } } };
 */
export interface S3EventRecord {
  eventVersion?: string;
  eventSource?: string;
  awsRegion?: string;
  eventTime?: string;
  eventName?: string;
  s3?: {
    s3SchemaVersion?: string;
    configurationId?: string;
    bucket?: { name?: string; arn?: string; ownerIdentity?: { principalId?: string } };
    object?: { key?: string; size?: number; eTag?: string; sequencer?: string; versionId?: string };
  };
  [field: string]: unknown;
}

/**
 * An S3 event key as the object's real key: `+` is a space, then percent-decoding.
 *
 * @example
 * decodeS3EventKey('raw/playback/dt%3D2025-03-10/my+file.csv'); // 'raw/playback/dt=2025-03-10/my file.csv'
 */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replaceAll('+', ' '));
}

/**
 * A key as S3 writes it into an event: each path segment form-encoded, spaces as `+`.
 *
 * @example
 * encodeS3EventKey('raw/playback/dt=2025-03-10/my file.csv'); // 'raw/playback/dt%3D2025-03-10/my+file.csv'
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replaceAll('%20', '+'))
    .join('/');
}

/**
 * What {@link playbackObjects} found in an event.
 *
 * @example
 * const found: PlaybackObjects = { objects: [{ bucket: 'lake', key: 'raw/playback/a.csv', inputPath: 's3://lake/raw/playback/a.csv' }], ignored: [] };
 */
export interface PlaybackObjects {
  /** Created objects under the playback prefix, each once, in event order. */
  objects: { bucket: string; key: string; inputPath: string }[];
  /**
   * Keys (decoded where possible) of records that start nothing, with why; `not_data` is the
   * handler's, for an object its planner finds is no data file.
   */
  ignored: {
    key: string;
    reason: 'not_object_created' | 'outside_prefix' | 'folder' | 'undecodable' | 'not_data';
  }[];
}

/**
 * The playback objects an event reports as created: decoded keys under `prefix` (folder markers,
 * other prefixes, removals and undecodable keys are ignored), one entry per bucket and key even
 * when S3 reported it more than once.
 *
 * @example
 * playbackObjects(event, 'raw/playback/').objects.map((o) => o.inputPath);
 * // ['s3://lake/raw/playback/dt=2025-03-10/my file.csv']
 */
export function playbackObjects(event: S3Event, prefix: string): PlaybackObjects {
  const found: PlaybackObjects = { objects: [], ignored: [] };
  const seen = new Set<string>();
  for (const record of event.Records ?? []) {
    const bucket = record.s3?.bucket?.name;
    const rawKey = record.s3?.object?.key;
    if (!bucket || rawKey === undefined) continue;
    let key: string;
    try {
      key = decodeS3EventKey(rawKey);
    } catch {
      found.ignored.push({ key: rawKey, reason: 'undecodable' });
      continue;
    }
    if (!record.eventName?.startsWith('ObjectCreated:'))
      found.ignored.push({ key, reason: 'not_object_created' });
    else if (!key.startsWith(prefix)) found.ignored.push({ key, reason: 'outside_prefix' });
    else if (key.endsWith('/')) found.ignored.push({ key, reason: 'folder' });
    else {
      const inputPath = `s3://${bucket}/${key}`;
      if (seen.has(inputPath)) continue;
      seen.add(inputPath);
      found.objects.push({ bucket, key, inputPath });
    }
  }
  return found;
}

/**
 * Options of {@link s3ObjectCreatedEvent}.
 *
 * @example
 * const object: CreatedObject = { bucket: 'lake', key: 'raw/playback/a.csv', size: 120, eTag: 'd41d8cd98f00b204e9800998ecf8427e' };
 */
export interface CreatedObject {
  bucket: string;
  /** The real key; the event carries it encoded. */
  key: string;
  size: number;
  eTag: string;
  /** Default: now. */
  time?: Date;
  region?: string;
}

/**
 * The `ObjectCreated:Put` event a bucket sends Lambda for a new object (the AWS sample event
 * shape), for local runs and tests.
 *
 * @example
 * await handler(s3ObjectCreatedEvent({ bucket: 'lake', key: 'raw/playback/a b.csv', size: 10, eTag: 'abc' }), context);
 */
export function s3ObjectCreatedEvent(object: CreatedObject): S3Event {
  const time = object.time ?? new Date();
  const region = object.region ?? 'us-east-1';
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: time.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'EXAMPLE' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: {
          'x-amz-request-id': 'EXAMPLE123456789',
          'x-amz-id-2': 'EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH',
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'streampulse-playback',
          bucket: {
            name: object.bucket,
            ownerIdentity: { principalId: 'EXAMPLE' },
            arn: `arn:aws:s3:::${object.bucket}`,
          },
          object: {
            key: encodeS3EventKey(object.key),
            size: object.size,
            eTag: object.eTag,
            sequencer: time.getTime().toString(16).toUpperCase().padStart(16, '0'),
          },
        },
      },
    ],
  };
}
