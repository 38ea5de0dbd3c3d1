import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { goldenCases } from '@streampulse/golden';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeError, type Lake, type LakeObject } from '../src/index.js';
import { binaryBytes, drain, inChunks, listKeys, readAll, tempFolder } from './support.js';

/** Every file under `folder`, as '/'-separated paths relative to it. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

async function expectLakeError(promise: Promise<unknown>, code: LakeError['code']): Promise<LakeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LakeError);
  expect((error as LakeError).code).toBe(code);
  return error as LakeError;
}

const MIB = 1024 * 1024;

/**
 * The behaviour every `Lake` promises, run once per implementation. `makeLake` returns an empty lake
 * each time it is called; the suite never shares one between tests.
 */
export function describeLakeContract(name: string, makeLake: () => Promise<Lake>): void {
  describe(`${name} (lake contract)`, () => {
    let scratch: Awaited<ReturnType<typeof tempFolder>>;
    beforeAll(async () => {
      scratch = await tempFolder('scratch');
    });
    afterAll(async () => {
      await scratch.cleanup();
    });

    describe('list', () => {
      it('lists every object under a prefix, recursively, in ascending code-unit order', async () => {
        const lake = await makeLake();
        const keys = [
          'raw/x/2025-03-01/a.csv',
          'raw/x/b/c/d.csv',
          'raw/x/2025-03-01.csv',
          'raw/x/_SUCCESS',
          'raw/x/.hidden/y.csv',
          'raw/x/Z.csv',
          'raw/x/\uFF21.csv',
          'raw/x/\u{1F600}.csv',
        ];
        for (const key of keys) await lake.write(key, key);
        expect(await listKeys(lake, 'raw/x')).toEqual([
          'raw/x/.hidden/y.csv',
          'raw/x/2025-03-01.csv',
          'raw/x/2025-03-01/a.csv',
          'raw/x/Z.csv',
          'raw/x/_SUCCESS',
          'raw/x/b/c/d.csv',
          // UTF-16 puts the surrogate pair (0xD83D...) before U+FF21; UTF-8 byte order would not.
          'raw/x/\u{1F600}.csv',
          'raw/x/\uFF21.csv',
        ]);
      });

      it('treats a prefix as a folder: siblings sharing its leading characters are not listed', async () => {
        const lake = await makeLake();
        for (const key of ['raw/x/a.csv', 'raw/x.csv', 'raw/xy/b.csv', 'raw/x/sub/c.csv', 'other/x/a.csv']) {
          await lake.write(key, key);
        }
        expect(await listKeys(lake, 'raw/x')).toEqual(['raw/x/a.csv', 'raw/x/sub/c.csv']);
        expect(await listKeys(lake, 'raw/x/')).toEqual(['raw/x/a.csv', 'raw/x/sub/c.csv']);
        expect(await listKeys(lake, 'raw/x/sub')).toEqual(['raw/x/sub/c.csv']);
        expect(await listKeys(lake, '')).toEqual([
          'other/x/a.csv',
          'raw/x.csv',
          'raw/x/a.csv',
          'raw/x/sub/c.csv',
          'raw/xy/b.csv',
        ]);
      });

      it('lists nothing for a missing prefix or a prefix that names an object', async () => {
        const lake = await makeLake();
        expect(await listKeys(lake, '')).toEqual([]);
        expect(await listKeys(lake, 'raw/nothing/here')).toEqual([]);
        await lake.write('raw/a.csv', 'a');
        expect(await listKeys(lake, 'raw/a.csv')).toEqual([]);
      });

      it('reports the same size and etag as stat, and when each object was written', async () => {
        const lake = await makeLake();
        const before = Date.now();
        await lake.write('raw/a.csv', 'héllo');
        await lake.write('raw/b/c.bin', binaryBytes(1000));
        const listed = [];
        for await (const object of lake.list('raw')) listed.push(object);
        const identity = (o: LakeObject | undefined) => o && { key: o.key, size: o.size, etag: o.etag };
        expect(listed.map(identity)).toEqual([
          identity(await lake.stat('raw/a.csv')),
          identity(await lake.stat('raw/b/c.bin')),
        ]);
        // Second-resolution clocks (S3's) may round a write down to the second it started in.
        for (const object of listed) {
          expect(object.lastModified?.getTime()).toBeGreaterThanOrEqual(
            Math.floor(before / 1000) * 1000 - 1000,
          );
        }
        expect(listed.map((o) => o.size)).toEqual([6, 1000]);
      });
    });

    describe('keys', () => {
      const odd = [
        'raw/with space/a b.csv',
        'raw/plus+sign/a+b=c.csv',
        'raw/dt=2025-03-10/part%20one.csv',
        'raw/ünïcødé/日本語 ファイル.csv',
        'raw/emoji/🎬 episode.jsonl',
      ];

      it('round-trips keys with spaces, +, %, = and unicode through write, stat, list and read', async () => {
        const lake = await makeLake();
        for (const key of odd) await lake.write(key, `content of ${key}`);
        expect(await listKeys(lake, 'raw')).toEqual([...odd].sort());
        for (const key of odd) {
          expect((await lake.stat(key))?.key).toBe(key);
          expect((await readAll(lake, key)).toString('utf8')).toBe(`content of ${key}`);
        }
      });

      it('rejects keys that are empty, absolute, or have empty, . or .. segments', async () => {
        const lake = await makeLake();
        for (const key of ['', '/raw/a.csv', 'raw/../a.csv', 'raw//a.csv', './a.csv', 'raw/a.csv/']) {
          const error = await expectLakeError(lake.write(key, 'x'), 'invalid_key');
          expect(error.message).toContain(lake.root);
          await expectLakeError(lake.stat(key), 'invalid_key');
          await expectLakeError(lake.read(key), 'invalid_key');
          await expectLakeError(lake.delete(key), 'invalid_key');
        }
        await expectLakeError(listKeys(lake, '../up'), 'invalid_key');
      });
    });

    describe('stat', () => {
      it('returns undefined for a missing key and for a key that is only a folder of other keys', async () => {
        const lake = await makeLake();
        expect(await lake.stat('raw/missing.csv')).toBeUndefined();
        await lake.write('raw/folder/a.csv', 'a');
        expect(await lake.stat('raw/folder')).toBeUndefined();
        expect(await lake.stat('raw/folder/a.csv/deeper')).toBeUndefined();
      });

      it('describes an object by key, byte size and a non-empty etag', async () => {
        const lake = await makeLake();
        const written = await lake.write('raw/a.csv', 'abc');
        const stat = await lake.stat('raw/a.csv');
        expect(stat).toMatchObject({ key: 'raw/a.csv', size: 3, etag: written.etag });
        expect(stat?.etag).not.toBe('');
        expect(stat?.etag).not.toMatch(/"/);
      });
    });

    describe('read', () => {
      it('streams a multi-MB binary object byte-exact, in more than one chunk', async () => {
        const lake = await makeLake();
        const bytes = binaryBytes(3 * MIB + 17);
        await lake.write('raw/big.bin', bytes);
        const { bytes: read, chunks } = await drain(await lake.read('raw/big.bin'));
        expect(read.equals(bytes)).toBe(true);
        expect(chunks).toBeGreaterThan(1);
      });

      it('returns gzip bytes untouched (no transparent decoding)', async () => {
        const lake = await makeLake();
        const csv = Array.from(
          { length: 50_000 },
          (_, i) => `s${i},u${i % 97},c${i % 13},2025-03-10T10:00:00Z,${i}`,
        ).join('\n');
        const gz = gzipSync(csv);
        await lake.write('raw/playback/part.csv.gz', gz, { contentType: 'application/gzip' });
        const read = await readAll(lake, 'raw/playback/part.csv.gz');
        expect(read.equals(gz)).toBe(true);
        expect(gunzipSync(read).toString('utf8')).toBe(csv);
      });

      it('lets a reader stop early', async () => {
        const lake = await makeLake();
        await lake.write('raw/big.bin', binaryBytes(2 * MIB));
        for await (const chunk of await lake.read('raw/big.bin')) {
          expect(chunk.length).toBeGreaterThan(0);
          break;
        }
        expect((await readAll(lake, 'raw/big.bin')).length).toBe(2 * MIB);
      });

      it('reads a byte range: from a start, from a start through an end, and past the end', async () => {
        const lake = await makeLake();
        const bytes = binaryBytes(MIB + 5);
        await lake.write('raw/big.bin', bytes);
        const ranged = async (start: number, end?: number): Promise<Buffer> =>
          (
            await drain(
              await lake.read('raw/big.bin', { range: end === undefined ? { start } : { start, end } }),
            )
          ).bytes;
        expect((await ranged(0, 99)).equals(bytes.subarray(0, 100))).toBe(true);
        expect((await ranged(MIB)).equals(bytes.subarray(MIB))).toBe(true);
        expect((await ranged(MIB, 10 * MIB)).equals(bytes.subarray(MIB))).toBe(true);
        expect((await ranged(MIB + 5)).length).toBe(0);
      });

      it('refuses a range that is no range, and a missing key whatever the range', async () => {
        const lake = await makeLake();
        await lake.write('raw/a.csv', 'abc');
        const error = await expectLakeError(
          lake.read('raw/a.csv', { range: { start: 2, end: 1 } }),
          'invalid_range',
        );
        expect(error.message).toContain('raw/a.csv');
        await expectLakeError(lake.read('raw/a.csv', { range: { start: -1 } }), 'invalid_range');
        await expectLakeError(lake.read('raw/missing.csv', { range: { start: 0, end: 9 } }), 'not_found');
      });

      it('rejects a missing key with not_found naming the key and the lake root', async () => {
        const lake = await makeLake();
        const error = await expectLakeError(lake.read('raw/missing.csv'), 'not_found');
        expect(error.key).toBe('raw/missing.csv');
        expect(error.message).toContain('raw/missing.csv');
        expect(error.message).toContain(lake.root);
      });

      it('rejects a key that is only a folder with not_found', async () => {
        const lake = await makeLake();
        await lake.write('raw/folder/a.csv', 'a');
        await expectLakeError(lake.read('raw/folder'), 'not_found');
      });
    });

    describe('write', () => {
      it('writes a string as UTF-8 and returns what stat then reports', async () => {
        const lake = await makeLake();
        const written = await lake.write('out/a.csv', 'id,name\n1,Zoë\n');
        expect(written).toEqual(await lake.stat('out/a.csv'));
        expect(written.size).toBe(Buffer.byteLength('id,name\n1,Zoë\n'));
        expect((await readAll(lake, 'out/a.csv')).toString('utf8')).toBe('id,name\n1,Zoë\n');
      });

      it('writes bytes, including every byte value, exactly', async () => {
        const lake = await makeLake();
        const bytes = Buffer.from(Array.from({ length: 256 * 4 }, (_, i) => i % 256));
        expect((await lake.write('out/all-bytes.bin', new Uint8Array(bytes))).size).toBe(1024);
        expect((await readAll(lake, 'out/all-bytes.bin')).equals(bytes)).toBe(true);
      });

      it('writes an empty object from bytes and from an empty stream', async () => {
        const lake = await makeLake();
        expect((await lake.write('out/empty-bytes', new Uint8Array())).size).toBe(0);
        expect((await lake.write('out/empty-stream', inChunks(new Uint8Array()))).size).toBe(0);
        expect(await listKeys(lake, 'out')).toEqual(['out/empty-bytes', 'out/empty-stream']);
        expect((await readAll(lake, 'out/empty-stream')).length).toBe(0);
      });

      it('writes a multi-MB stream of many uneven chunks byte-exact, with no aws-chunked framing', async () => {
        const lake = await makeLake();
        // Past 5 MiB, so S3 takes the multipart path of lib-storage.
        const bytes = binaryBytes(6 * MIB + 123);
        const written = await lake.write('out/stream.bin', inChunks(bytes));
        expect(written.size).toBe(bytes.length);
        expect((await lake.stat('out/stream.bin'))?.size).toBe(bytes.length);
        const read = await readAll(lake, 'out/stream.bin');
        expect(read.length).toBe(bytes.length);
        expect(read.equals(bytes)).toBe(true);
      });

      it('writes a small text stream without framing', async () => {
        const lake = await makeLake();
        const text = 'a,b\n1,2\n';
        await lake.write('out/small.csv', inChunks(Buffer.from(text), [3]));
        expect((await readAll(lake, 'out/small.csv')).toString('utf8')).toBe(text);
      });

      it('overwrites an object, and the etag changes even when the size does not', async () => {
        const lake = await makeLake();
        const first = await lake.write('out/a.txt', 'first');
        const second = await lake.write('out/a.txt', 'other');
        expect(second.etag).not.toBe(first.etag);
        expect((await lake.stat('out/a.txt'))?.etag).toBe(second.etag);
        expect((await readAll(lake, 'out/a.txt')).toString()).toBe('other');
        expect(await listKeys(lake, 'out')).toEqual(['out/a.txt']);
      });

      it('keeps the old object and rethrows the error when a stream body fails midway', async () => {
        const lake = await makeLake();
        await lake.write('out/a.bin', 'old');
        const boom = new Error('source failed');
        async function* failing(): AsyncGenerator<Uint8Array> {
          yield binaryBytes(1000);
          throw boom;
        }
        await expect(lake.write('out/a.bin', failing())).rejects.toBe(boom);
        await expect(lake.write('out/b.bin', failing())).rejects.toBe(boom);
        expect((await readAll(lake, 'out/a.bin')).toString()).toBe('old');
        expect(await listKeys(lake, 'out')).toEqual(['out/a.bin']);
      });

      it('accepts a content type', async () => {
        const lake = await makeLake();
        await lake.write('out/a.json', '{}', { contentType: 'application/json' });
        expect((await readAll(lake, 'out/a.json')).toString()).toBe('{}');
      });
    });

    describe('delete', () => {
      it('removes a key, and removing an absent key is not an error', async () => {
        const lake = await makeLake();
        await lake.write('raw/a.csv', 'a');
        await lake.write('raw/b.csv', 'b');
        await lake.delete('raw/a.csv');
        await lake.delete('raw/a.csv');
        await lake.delete('raw/never-there.csv');
        expect(await lake.stat('raw/a.csv')).toBeUndefined();
        await expectLakeError(lake.read('raw/a.csv'), 'not_found');
        expect(await listKeys(lake, 'raw')).toEqual(['raw/b.csv']);
      });

      it('removes every object under a prefix and nothing beside it, keeping the key it is told to', async () => {
        const lake = await makeLake();
        for (const key of [
          'out/day=1/a.csv',
          'out/day=1/b.parquet',
          'out/day=1/x/c.csv',
          'out/day=10/a.csv',
          'raw/a.csv',
        ])
          await lake.write(key, key);
        expect(await lake.deletePrefix('out/day=1', { keep: 'out/day=1/b.parquet' })).toBe(2);
        expect(await listKeys(lake, '')).toEqual(['out/day=1/b.parquet', 'out/day=10/a.csv', 'raw/a.csv']);
        expect(await lake.deletePrefix('out/')).toBe(2);
        expect(await listKeys(lake, '')).toEqual(['raw/a.csv']);
        expect(await lake.deletePrefix('never/there')).toBe(0);
      });

      it('does not remove objects under a key that is only a folder', async () => {
        const lake = await makeLake();
        await lake.write('raw/folder/a.csv', 'a');
        await lake.delete('raw/folder');
        expect(await listKeys(lake, 'raw')).toEqual(['raw/folder/a.csv']);
      });
    });

    describe('materialize', () => {
      it('returns a local folder mirroring the prefix, byte-exact', async () => {
        const lake = await makeLake();
        const big = binaryBytes(2 * MIB + 5);
        await lake.write('raw/playback/dt=2025-03-10/part-0001.csv', 'a,b\n1,2\n');
        await lake.write('raw/playback/dt=2025-03-11/part 2.bin', big);
        await lake.write('raw/playback/_SUCCESS', '');
        await lake.write('raw/users/u.csv', 'not under the prefix');
        const folder = await lake.materialize('raw/playback', scratch.path);
        expect(await filesUnder(folder)).toEqual([
          '_SUCCESS',
          'dt=2025-03-10/part-0001.csv',
          'dt=2025-03-11/part 2.bin',
        ]);
        expect(await readFile(join(folder, 'dt=2025-03-10', 'part-0001.csv'), 'utf8')).toBe('a,b\n1,2\n');
        expect((await readFile(join(folder, 'dt=2025-03-11', 'part 2.bin'))).equals(big)).toBe(true);
      });

      it('returns an existing empty folder for a prefix that holds nothing', async () => {
        const lake = await makeLake();
        const folder = await lake.materialize('raw/none', scratch.path);
        expect(await readdir(folder)).toEqual([]);
      });
    });

    describe('golden lakes', () => {
      for (const golden of goldenCases()) {
        it(`stores the ${golden.name} case's lake and lists and reads it back byte-exact`, async () => {
          const lake = await makeLake();
          const files = await filesUnder(golden.lakeDir);
          for (const file of files) {
            // Streamed in from disk, the way an uploader would.
            await lake.write(file, createReadStream(join(golden.lakeDir, file)));
          }
          const sorted = [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect(await listKeys(lake, '')).toEqual(sorted);
          for (const file of files) {
            const expected = await readFile(join(golden.lakeDir, file));
            expect((await readAll(lake, file)).equals(expected)).toBe(true);
          }
        });
      }
    });
  });
}
