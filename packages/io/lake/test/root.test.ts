import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LakeError } from '../src/errors.js';
import { parseLakeRoot } from '../src/root.js';

describe('parseLakeRoot', () => {
  it('reads s3://bucket as the whole bucket', () => {
    expect(parseLakeRoot('s3://bucket')).toEqual({ kind: 's3', bucket: 'bucket', prefix: '' });
    expect(parseLakeRoot('s3://bucket/')).toEqual({ kind: 's3', bucket: 'bucket', prefix: '' });
  });

  it('reads the prefix without leading or trailing slashes', () => {
    expect(parseLakeRoot('s3://bucket/a/b/')).toEqual({ kind: 's3', bucket: 'bucket', prefix: 'a/b' });
    expect(parseLakeRoot('s3://my.bucket-1/lake')).toEqual({
      kind: 's3',
      bucket: 'my.bucket-1',
      prefix: 'lake',
    });
    expect(parseLakeRoot('S3://bucket/a')).toEqual({ kind: 's3', bucket: 'bucket', prefix: 'a' });
  });

  it('resolves a relative path against the working directory', () => {
    expect(parseLakeRoot('lake')).toEqual({ kind: 'local', path: resolve('lake') });
    expect(parseLakeRoot('./data/../lake/')).toEqual({ kind: 'local', path: resolve('lake') });
  });

  it('keeps an absolute path, normalized', () => {
    const absolute = join(resolve('/'), 'data', 'lake');
    expect(parseLakeRoot(`${absolute}/`)).toEqual({ kind: 'local', path: absolute });
  });

  it('reads a file:// URL as a local path', () => {
    expect(parseLakeRoot('file:///data/lake')).toEqual({ kind: 'local', path: '/data/lake' });
  });

  it.each([
    ['', 'empty'],
    ['s3://', 'no bucket'],
    ['s3:///prefix', 'no bucket'],
    ['s3://bucket//a', 'empty'],
    ['s3://bucket/a/../b', "'..'"],
    ['gs://bucket/a', 'unsupported scheme'],
    ['https://example.com/lake', 'unsupported scheme'],
  ])('rejects %j with invalid_root (%s)', (root, reason) => {
    let error: unknown;
    try {
      parseLakeRoot(root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LakeError);
    expect((error as LakeError).code).toBe('invalid_root');
    expect((error as LakeError).message).toContain(JSON.stringify(root));
    expect((error as LakeError).message).toContain(reason);
  });
});
