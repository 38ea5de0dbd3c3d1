import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Lake } from '../src/index.js';

/** All of a stream's bytes, and how many chunks they came in. */
export async function drain(stream: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; chunks: number }> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return { bytes: Buffer.concat(parts), chunks: parts.length };
}

export async function readAll(lake: Lake, key: string): Promise<Buffer> {
  return (await drain(await lake.read(key))).bytes;
}

export async function listKeys(lake: Lake, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of lake.list(prefix)) keys.push(object.key);
  return keys;
}

/** Deterministic bytes covering every byte value (SHA-256 in counter mode), so no two runs differ. */
export function binaryBytes(length: number, seed = 'lake'): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0, block = 0; offset < length; block += 1) {
    offset += createHash('sha256').update(`${seed}:${block}`).digest().copy(out, offset);
  }
  return out;
}

/** `bytes` as a stream of uneven chunks, the way a network source delivers them. */
export async function* inChunks(
  bytes: Uint8Array,
  sizes = [1, 7, 4096, 65_535, 100_003],
): AsyncGenerator<Uint8Array> {
  for (let offset = 0, i = 0; offset < bytes.length; i += 1) {
    const size = sizes[i % sizes.length] ?? 1;
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

/** A temp folder per test file, removed by `cleanup`. */
export async function tempFolder(name: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `streampulse-lake-${name}-`));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/**
 * A temporary folder for the test file (made before its tests, removed after them): `fresh`
 * makes a new empty folder inside it on each call (a lake root per test), `path` is the folder.
 */
export function freshFolders(name: string): { fresh: () => Promise<string>; path: () => string } {
  let temp: Awaited<ReturnType<typeof tempFolder>>;
  let count = 0;
  beforeAll(async () => {
    temp = await tempFolder(name);
  });
  afterAll(async () => {
    await temp.cleanup();
  });
  return {
    fresh: async () => {
      count += 1;
      const root = join(temp.path, `lake-${count}`);
      await mkdir(root);
      return root;
    },
    path: () => temp.path,
  };
}
