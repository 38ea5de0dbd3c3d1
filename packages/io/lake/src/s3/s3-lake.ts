import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { LakeError } from '../errors.js';
import { checkKey, checkRange, compareKeys, normalizePrefix } from '../keys.js';
import type { DeletePrefixOptions, Lake, LakeBody, LakeObject, ReadOptions, WriteOptions } from '../lake.js';
import { s3Root } from '../root.js';
import { s3Error } from './s3-errors.js';
import type { Logger } from '@streampulse/logging';

/**
 * Tuning of an `S3Lake`; the defaults suit production.
 *
 * @example
 * const lake = new S3Lake(client, 'my-bucket', 'lake', { downloadConcurrency: 16 });
 */
export interface S3LakeOptions {
  /** Keys per ListObjectsV2 page (S3 caps it at 1000). */
  listPageSize?: number;
  /** Objects downloaded at once by `materialize`. */
  downloadConcurrency?: number;
  /** Part size of stream uploads, at least 5 MiB; memory held is about four parts. */
  partSize?: number;
  /** Hears (a warning, once per key) of a listed key the lake leaves out because no file path could hold it. */
  logger?: Logger;
}

const unquote = (etag: string | undefined): string => (etag ?? '').replace(/^"|"$/g, '');

function isUnsatisfiableRange(error: unknown): boolean {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return failure.name === 'InvalidRange' || failure.$metadata?.httpStatusCode === 416;
}

function isUsableKey(key: string): boolean {
  try {
    checkKey(key, '');
    return true;
  } catch {
    return false;
  }
}

/**
 * A lake in an S3 bucket under a key prefix. Writes are one PUT, or a lib-storage Upload for streams
 * (multipart past one part), so readers never see a part. Build the client with `createS3Client`.
 *
 * @example
 * const lake = new S3Lake(createS3Client(process.env), 'my-bucket', 'lake/prod');
 * const object = await lake.stat('raw/users/u.csv');
 */
export class S3Lake implements Lake {
  readonly root: string;
  private readonly prefix: string;
  private readonly warned = new Set<string>();

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    prefix: string,
    private readonly options: S3LakeOptions = {},
  ) {
    this.prefix = prefix.replace(/^\/+|\/+$/g, '');
    this.root = s3Root(bucket, this.prefix);
  }

  private s3Key(key: string): string {
    return this.prefix === '' ? key : key === '' ? this.prefix : `${this.prefix}/${key}`;
  }

  private fail(error: unknown, action: string, key?: string): Promise<LakeError> {
    return s3Error(error, {
      client: this.client,
      bucket: this.bucket,
      root: this.root,
      action,
      ...(key === undefined ? {} : { key }),
    });
  }

  async *list(prefix: string): AsyncIterable<LakeObject> {
    const base = normalizePrefix(prefix, this.root);
    const folder = this.s3Key(base);
    const s3Prefix = folder === '' ? '' : `${folder}/`;
    const strip = this.prefix === '' ? 0 : this.prefix.length + 1;
    // Sorting needs every key first; only the metadata is held, never object bytes.
    const objects: LakeObject[] = [];
    const pages = paginateListObjectsV2(
      {
        client: this.client,
        ...(this.options.listPageSize === undefined ? {} : { pageSize: this.options.listPageSize }),
      },
      { Bucket: this.bucket, ...(s3Prefix === '' ? {} : { Prefix: s3Prefix }) },
    );
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      let next;
      try {
        next = await iterator.next();
      } catch (error) {
        throw await this.fail(error, 'list', base);
      }
      if (next.done) break;
      for (const item of next.value.Contents ?? []) {
        const key = (item.Key ?? '').slice(strip);
        // Folder markers ('a/b/') and keys no file path could hold ('a//b', 'a/../b') are not
        // addressable objects; the second kind is somebody's data, so it is said, not dropped.
        if (!isUsableKey(key)) {
          if (!key.endsWith('/')) this.skipped(key);
          continue;
        }
        objects.push({
          key,
          size: item.Size ?? 0,
          etag: unquote(item.ETag),
          ...(item.LastModified ? { lastModified: item.LastModified } : {}),
        });
      }
    }
    objects.sort((a, b) => compareKeys(a.key, b.key));
    yield* objects;
  }

  private skipped(key: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.logger?.warn(
      `${key} in lake ${this.root}: an empty, '.' or '..' segment, which no file path can hold: skipped`,
      { key },
    );
  }

  async stat(key: string): Promise<LakeObject | undefined> {
    checkKey(key, this.root);
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.s3Key(key) }),
      );
      return { key, size: head.ContentLength ?? 0, etag: unquote(head.ETag) };
    } catch (error) {
      const failure = await this.fail(error, 'stat', key);
      if (failure.code === 'not_found') return undefined;
      throw failure;
    }
  }

  async read(key: string, options: ReadOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    checkKey(key, this.root);
    const { range } = options;
    checkRange(range, key, this.root);
    let body: unknown;
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.s3Key(key),
          ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end ?? ''}` }),
        }),
      );
      body = response.Body;
    } catch (error) {
      // 416: the range starts past the end of an object that exists, which reads nothing.
      if (range !== undefined && isUnsatisfiableRange(error)) return (async function* () {})();
      throw await this.fail(error, 'read', key);
    }
    if (!(body instanceof Readable)) {
      throw new LakeError(
        'io',
        `cannot read key ${key} in lake ${this.root}: the response has no body stream`,
        {
          key,
        },
      );
    }
    const stream = body;
    const fail = (error: unknown): Promise<LakeError> => this.fail(error, 'read', key);
    return (async function* () {
      try {
        for await (const chunk of stream) yield chunk as Uint8Array;
      } catch (error) {
        throw await fail(error);
      } finally {
        // Breaking out early must free the socket for the next request.
        stream.destroy();
      }
    })();
  }

  async write(key: string, body: LakeBody, options: WriteOptions = {}): Promise<LakeObject> {
    checkKey(key, this.root);
    const target = { Bucket: this.bucket, Key: this.s3Key(key), ContentType: options.contentType };
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      try {
        const out = await this.client.send(new PutObjectCommand({ ...target, Body: bytes }));
        return { key, size: bytes.byteLength, etag: unquote(out.ETag) };
      } catch (error) {
        throw await this.fail(error, 'write', key);
      }
    }
    let size = 0;
    let bodyFailure: { error: unknown } | undefined;
    const counted = async function* (): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of body) {
          const bytes: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
          size += bytes.byteLength;
          yield bytes;
        }
      } catch (error) {
        bodyFailure = { error };
        throw error;
      }
    };
    const upload = new Upload({
      client: this.client,
      params: { ...target, Body: Readable.from(counted()) },
      queueSize: 4,
      ...(this.options.partSize === undefined ? {} : { partSize: this.options.partSize }),
    });
    let etag: string | undefined;
    try {
      const out = await upload.done();
      etag = 'ETag' in out ? out.ETag : undefined;
    } catch (error) {
      // The caller's own stream failed: nothing was stored (lib-storage aborts the multipart upload).
      if (bodyFailure !== undefined) throw bodyFailure.error;
      throw await this.fail(error, 'write', key);
    }
    if (etag === undefined) {
      const written = await this.stat(key);
      if (written === undefined)
        throw new LakeError('io', `wrote key ${key} in lake ${this.root} but it is gone`, { key });
      return written;
    }
    return { key, size, etag: unquote(etag) };
  }

  async delete(key: string): Promise<void> {
    checkKey(key, this.root);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.s3Key(key) }));
    } catch (error) {
      // S3 itself answers 204 for an absent key; a server that says NoSuchKey means the same.
      if ((error as { name?: string }).name === 'NoSuchKey') return;
      throw await this.fail(error, 'delete', key);
    }
  }

  async deletePrefix(prefix: string, options: DeletePrefixOptions = {}): Promise<number> {
    const base = normalizePrefix(prefix, this.root);
    const keys: string[] = [];
    for await (const object of this.list(base)) if (object.key !== options.keep) keys.push(object.key);
    // DeleteObjects takes at most 1,000 keys a request; Quiet answers only the failures.
    for (let from = 0; from < keys.length; from += 1000) {
      const batch = keys.slice(from, from + 1000);
      let errors;
      try {
        ({ Errors: errors } = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((key) => ({ Key: this.s3Key(key) })), Quiet: true },
          }),
        ));
      } catch (error) {
        throw await this.fail(error, 'delete', batch[0]);
      }
      const failed = (errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length > 0) {
        const first = failed[0];
        const key = (first?.Key ?? '').slice(this.prefix === '' ? 0 : this.prefix.length + 1);
        throw new LakeError(
          first?.Code === 'AccessDenied' ? 'access_denied' : 'io',
          `cannot delete key ${key} in lake ${this.root}: ${first?.Code ?? 'error'} ${first?.Message ?? ''}`.trimEnd() +
            (failed.length > 1 ? ` (and ${failed.length - 1} more keys under ${base})` : ''),
          { key },
        );
      }
    }
    return keys.length;
  }

  async materialize(prefix: string, scratchDir: string): Promise<string> {
    const base = normalizePrefix(prefix, this.root);
    let folder: string;
    try {
      await mkdir(scratchDir, { recursive: true });
      // A fresh folder per call: a key deleted from S3 can never linger from an earlier download.
      folder = await mkdtemp(join(scratchDir, 'materialized-'));
    } catch (error) {
      throw new LakeError('io', `cannot materialize prefix ${base} of lake ${this.root} into ${scratchDir}`, {
        key: base,
        cause: error,
      });
    }
    const objects = this.list(base)[Symbol.asyncIterator]();
    let failed = false;
    const worker = async (): Promise<void> => {
      try {
        for (let next = await objects.next(); next.done !== true && !failed; next = await objects.next()) {
          await this.download(next.value.key, base, folder);
        }
      } catch (error) {
        // The other workers stop at their next object instead of downloading into a result nobody gets.
        failed = true;
        throw error;
      }
    };
    const workers = Math.max(1, this.options.downloadConcurrency ?? 8);
    await Promise.all(Array.from({ length: workers }, worker));
    return folder;
  }

  private async download(key: string, base: string, folder: string): Promise<void> {
    const relative = base === '' ? key : key.slice(base.length + 1);
    const path = join(folder, ...relative.split('/'));
    const local = (error: unknown): LakeError =>
      new LakeError('io', `cannot download key ${key} of lake ${this.root} to ${path}`, {
        key,
        cause: error,
      });
    await mkdir(dirname(path), { recursive: true }).catch((error: unknown) => {
      throw local(error);
    });
    let source: AsyncIterable<Uint8Array>;
    try {
      source = await this.read(key);
    } catch (error) {
      // Deleted since it was listed: the mirror shows the lake as it is now.
      if (error instanceof LakeError && error.code === 'not_found') return;
      throw error;
    }
    await pipeline(source, createWriteStream(path)).catch((error: unknown) => {
      throw error instanceof LakeError ? error : local(error);
    });
  }
}
