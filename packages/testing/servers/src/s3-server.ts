import crypto from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real S3 API on loopback (s3rver), backed by a temp folder, for one test file. */
export interface TestS3 {
  /** What `createS3Client` needs to reach it. */
  env: Record<string, string>;
  client: S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

type CipherFactory = (algorithm: string, key: Buffer, iv: Buffer) => unknown;

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 no longer offers, so every
 * truncated listing answers 500. Triple DES with the key repeated three times is the same cipher, and is still
 * there. Test setup only: the lake itself never sees this.
 */
function letS3rverUseDes(): () => void {
  const builtin = crypto as unknown as Record<'createCipheriv' | 'createDecipheriv', CipherFactory>;
  const original = { createCipheriv: builtin.createCipheriv, createDecipheriv: builtin.createDecipheriv };
  for (const name of ['createCipheriv', 'createDecipheriv'] as const) {
    const make = original[name];
    builtin[name] = (algorithm, key, iv) =>
      algorithm === 'des' && key.length === 8
        ? make('des-ede3-cbc', Buffer.concat([key, key, key]), iv)
        : make(algorithm, key, iv);
  }
  return () => Object.assign(builtin, original);
}

/**
 * The settings and client of an S3 server on 127.0.0.1:`port` taking `key` as both key id and
 * secret, path-style: a loopback server has no per-bucket host names.
 *
 * @example
 * const { env, client } = loopbackS3Client(4569, 'S3RVER');
 */
export function loopbackS3Client(port: number, key: string): Pick<TestS3, 'env' | 'client'> {
  const env = {
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: key,
    AWS_SECRET_ACCESS_KEY: key,
    AWS_REGION: 'us-east-1',
  };
  const client = new S3Client({
    endpoint: env.AWS_ENDPOINT_URL_S3,
    region: env.AWS_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: key, secretAccessKey: key },
  });
  return { env, client };
}

/**
 * Starts s3rver on 127.0.0.1 (a free port) in a temp folder.
 *
 * @example
 * const s3 = await startS3();
 * await s3.createBucket('lake');
 * const lake = openLake('s3://lake', { env: s3.env });
 */
export async function startS3(): Promise<TestS3> {
  const restoreCrypto = letS3rverUseDes();
  const path = await mkdtemp(join(tmpdir(), 'streampulse-s3rver-'));
  const folder = { path, cleanup: () => rm(path, { recursive: true, force: true }) };
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: folder.path });
  const { port } = await server.run();
  const { env, client } = loopbackS3Client(port, 'S3RVER');
  return {
    env,
    client,
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    stop: async () => {
      client.destroy();
      await server.close();
      await folder.cleanup();
      restoreCrypto();
    },
  };
}
