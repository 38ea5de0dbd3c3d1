import { createServer } from 'node:net';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeError, openLake } from '../src/index.js';
import { createS3Client, S3Lake } from '../src/s3/index.js';
import { describeLakeContract } from './lake-contract.js';
import { startS3, type TestS3 } from '@streampulse/test-servers';
import { listKeys, readAll } from './support.js';
import { createLogger } from '@streampulse/logging';

let s3: TestS3;
let count = 0;
beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket('lake');
});
afterAll(async () => {
  await s3.stop();
});

// Each test gets its own prefix in one bucket, which also exercises prefix handling everywhere.
describeLakeContract('S3Lake', async () => {
  count += 1;
  return new S3Lake(s3.client, 'lake', `contract-${count}`);
});

async function failure(promise: Promise<unknown>): Promise<LakeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LakeError);
  return error as LakeError;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('S3Lake (S3 only)', () => {
  it('names its root s3://bucket/prefix and keeps keys relative to the prefix', async () => {
    const lake = new S3Lake(s3.client, 'lake', '/tenant/a/');
    expect(lake.root).toBe('s3://lake/tenant/a');
    expect(new S3Lake(s3.client, 'lake', '').root).toBe('s3://lake');
    await lake.write('raw/x.csv', 'x');
    expect(await listKeys(lake, '')).toEqual(['raw/x.csv']);
    const whole = new S3Lake(s3.client, 'lake', '');
    expect(await listKeys(whole, 'tenant/a')).toEqual(['tenant/a/raw/x.csv']);
  });

  it('does not see objects of a sibling prefix that shares its leading characters', async () => {
    await new S3Lake(s3.client, 'lake', 'iso-ab').write('a.csv', 'other tenant');
    const lake = new S3Lake(s3.client, 'lake', 'iso-a');
    await lake.write('a.csv', 'mine');
    expect(await listKeys(lake, '')).toEqual(['a.csv']);
    expect((await readAll(lake, 'a.csv')).toString()).toBe('mine');
  });

  it('skips keys no file path can hold, saying so once each, and folder markers silently', async () => {
    // Real S3 stores such keys (s3rver cannot, and the SDK resolves dot segments before sending),
    // so the listing comes from a client that answers as S3 would.
    const page = {
      Contents: [
        { Key: 'odd/a//b.csv', Size: 1, ETag: '"1"' },
        { Key: 'odd/../up.csv', Size: 1, ETag: '"2"' },
        { Key: 'odd/folder/', Size: 0, ETag: '"3"' },
        { Key: 'odd/good.csv', Size: 1, ETag: '"4"' },
      ],
    };
    // A real client (the SDK's paginator takes no other) whose every request gets that page.
    const client = new S3Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    client.send = (async () => page) as unknown as S3Client['send'];
    const warnings: string[] = [];
    const lake = new S3Lake(client, 'lake', '', {
      logger: createLogger((entry) => warnings.push(entry.message)),
    });
    expect(await listKeys(lake, 'odd')).toEqual(['odd/good.csv']);
    expect(await listKeys(lake, 'odd')).toEqual(['odd/good.csv']);
    expect(warnings).toEqual([
      "odd/a//b.csv in lake s3://lake: an empty, '.' or '..' segment, which no file path can hold: skipped",
      "odd/../up.csv in lake s3://lake: an empty, '.' or '..' segment, which no file path can hold: skipped",
    ]);
  });

  it('follows ListObjectsV2 pages to the end', async () => {
    const lake = new S3Lake(s3.client, 'lake', 'paged', { listPageSize: 2 });
    const keys = Array.from({ length: 7 }, (_, i) => `p/${i}.csv`);
    for (const key of keys) await lake.write(key, key);
    expect(await listKeys(lake, 'p')).toEqual(keys);
  });

  it('deletes a prefix of more than 1,000 keys in batches of at most 1,000', async () => {
    const lake = new S3Lake(s3.client, 'lake', 'many');
    const keys = Array.from({ length: 1005 }, (_, i) => `d/${String(i).padStart(4, '0')}.csv`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => lake.write(key, 'x')));
    }
    const batches: number[] = [];
    s3.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteObjectsCommand') {
          batches.push((args.input as { Delete: { Objects: unknown[] } }).Delete.Objects.length);
        }
        return next(args);
      },
      { step: 'initialize', name: 'countDeleteBatches' },
    );
    try {
      expect(await lake.deletePrefix('d')).toBe(1005);
    } finally {
      s3.client.middlewareStack.remove('countDeleteBatches');
    }
    expect(batches).toEqual([1000, 5]);
    expect(await listKeys(lake, 'd')).toEqual([]);
  });

  it('fails a prefix delete whose batch S3 partly refused, naming a key it could not remove', async () => {
    const lake = new S3Lake(s3.client, 'lake', 'refused');
    await lake.write('d/a.csv', 'a');
    await lake.write('d/b.csv', 'b');
    // DeleteObjects answers 200 and lists per-key failures; this one refuses every key.
    s3.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'DeleteObjectsCommand') return next(args);
        const keys = (args.input as { Delete: { Objects: { Key: string }[] } }).Delete.Objects;
        return {
          output: {
            $metadata: {},
            Errors: keys.map(({ Key }) => ({ Key, Code: 'AccessDenied', Message: 'Access Denied' })),
          },
          response: {},
        } as never;
      },
      { step: 'initialize', name: 'refuseDeletes' },
    );
    let error: unknown;
    try {
      error = await lake.deletePrefix('d').catch((e: unknown) => e);
    } finally {
      s3.client.middlewareStack.remove('refuseDeletes');
    }
    expect(error).toBeInstanceOf(LakeError);
    expect(error).toMatchObject({ code: 'access_denied', key: 'd/a.csv' });
    expect((error as LakeError).message).toBe(
      'cannot delete key d/a.csv in lake s3://lake/refused: AccessDenied Access Denied (and 1 more keys under d)',
    );
    expect(await listKeys(lake, 'd')).toEqual(['d/a.csv', 'd/b.csv']);
  });

  it('stores the content type of strings, bytes and streams', async () => {
    const lake = new S3Lake(s3.client, 'lake', 'typed');
    async function* stream(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('a,b\n');
    }
    await lake.write('a.csv', 'a,b\n', { contentType: 'text/csv' });
    await lake.write('b.json', Buffer.from('{}'), { contentType: 'application/json' });
    await lake.write('c.csv', stream(), { contentType: 'text/csv' });
    const typeOf = async (key: string): Promise<string | undefined> =>
      (await s3.client.send(new HeadObjectCommand({ Bucket: 'lake', Key: `typed/${key}` }))).ContentType;
    expect(await typeOf('a.csv')).toBe('text/csv');
    expect(await typeOf('b.json')).toBe('application/json');
    expect(await typeOf('c.csv')).toBe('text/csv');
  });

  it('fails with not_found naming the bucket when the bucket does not exist', async () => {
    const lake = new S3Lake(s3.client, 'no-such-bucket', 'p');
    // Each call starts only when the previous one has been checked: started together, a
    // rejection would sit unhandled while the loop awaits an earlier one.
    for (const attempt of [
      () => listKeys(lake, ''),
      () => lake.read('a.csv'),
      () => lake.write('a.csv', 'a'),
    ]) {
      const error = await failure(attempt());
      expect(error.code).toBe('not_found');
      expect(error.message).toContain('no-such-bucket');
    }
  });

  it('fails with access_denied, and no secret in the message, when the credentials are wrong', async () => {
    const client = createS3Client({
      ...s3.env,
      AWS_ACCESS_KEY_ID: 'NOT-A-KEY',
      AWS_SECRET_ACCESS_KEY: 'very-secret',
    });
    const lake = new S3Lake(client, 'lake', 'p');
    try {
      for (const attempt of [
        () => listKeys(lake, ''),
        () => lake.read('a.csv'),
        () => lake.write('a.csv', 'a'),
      ]) {
        const error = await failure(attempt());
        expect(error.code).toBe('access_denied');
        expect(error.message).toContain('s3://lake/p');
        expect(error.message).not.toContain('very-secret');
      }
    } finally {
      client.destroy();
    }
  });

  it('fails with io naming the endpoint when nothing listens there', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const client = createS3Client({ ...s3.env, AWS_ENDPOINT_URL_S3: endpoint, AWS_MAX_ATTEMPTS: '1' });
    const lake = new S3Lake(client, 'lake', 'p');
    try {
      const error = await failure(lake.stat('a.csv'));
      expect(error.code).toBe('io');
      expect(error.message).toContain(endpoint);
    } finally {
      client.destroy();
    }
  });
});

describe('openLake with an s3:// root', () => {
  it('builds a client from the env argument and reaches the bucket', async () => {
    const lake = openLake('s3://lake/opened/', { env: s3.env });
    expect(lake.root).toBe('s3://lake/opened');
    await lake.write('a.csv', 'a');
    expect(await listKeys(new S3Lake(s3.client, 'lake', 'opened'), '')).toEqual(['a.csv']);
  });

  it('names its root and lists an empty prefix the way an S3Lake does', async () => {
    const lake = openLake('s3://lake//', { s3Client: s3.client });
    expect(lake.root).toBe(new S3Lake(s3.client, 'lake', '').root);
    expect(await listKeys(openLake('s3://lake/nothing-here', { s3Client: s3.client }), '')).toEqual([]);
  });

  it('uses a given client as is', async () => {
    const lake = openLake('s3://lake/given', { s3Client: s3.client, env: {} });
    await lake.write('a.csv', 'a');
    expect((await lake.stat('a.csv'))?.size).toBe(1);
  });
});

describe('createS3Client', () => {
  it('points at an endpoint override with path-style addressing and checksums only when required', async () => {
    const client = createS3Client({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000', AWS_REGION: 'eu-west-1' });
    expect(await client.config.region()).toBe('eu-west-1');
    expect(client.config.forcePathStyle).toBe(true);
    expect(await client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await client.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(9000);
  });

  it('prefers AWS_ENDPOINT_URL_S3 over AWS_ENDPOINT_URL', async () => {
    const both = createS3Client({
      AWS_ENDPOINT_URL_S3: 'http://s3.local:1',
      AWS_ENDPOINT_URL: 'http://all.local:2',
    });
    expect((await both.config.endpoint?.())?.hostname).toBe('s3.local');
    const general = createS3Client({ AWS_ENDPOINT_URL: 'http://all.local:2' });
    expect((await general.config.endpoint?.())?.hostname).toBe('all.local');
  });

  it('takes the region from AWS_REGION, then AWS_DEFAULT_REGION, else us-east-1', async () => {
    expect(
      await createS3Client({ AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-west-1' }).config.region(),
    ).toBe('ap-south-1');
    expect(await createS3Client({ AWS_DEFAULT_REGION: 'eu-west-1' }).config.region()).toBe('eu-west-1');
    expect(await createS3Client({}).config.region()).toBe('us-east-1');
  });

  it('uses keys from the env argument', async () => {
    const client = createS3Client({
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'SECRET',
      AWS_SESSION_TOKEN: 'T',
    });
    const credentials = await client.config.credentials();
    expect(credentials).toMatchObject({ accessKeyId: 'AKID', secretAccessKey: 'SECRET', sessionToken: 'T' });
  });
});
