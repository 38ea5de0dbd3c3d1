import { randomUUID } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { LakeError } from './errors.js';
import { checkKey, compareKeys, normalizePrefix, TEMP_PREFIX, checkRange } from './keys.js';
import type { DeletePrefixOptions, Lake, LakeBody, LakeObject, ReadOptions, WriteOptions } from './lake.js';
import { silentLogger, type Logger } from '@streampulse/logging';

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

// A rewrite goes through a new temp file, so the inode changes even when size and the (coarse) mtime do not.
function toObject(key: string, stats: BigIntStats): LakeObject {
  return {
    key,
    size: Number(stats.size),
    etag: `${stats.size.toString(16)}-${stats.mtimeNs.toString(16)}-${stats.ino.toString(16)}`,
    lastModified: new Date(Number(stats.mtimeMs)),
  };
}

/**
 * A lake in a local folder: keys are paths under `rootPath`. Writes go to a temp file in the target's
 * folder and are renamed over it, so readers see the old file or the new one, never a part.
 *
 * @example
 * const lake = new LocalLake('/data/lake');
 * await lake.write('raw/users/u.csv', 'user_id,country\nu1,IN\n');
 */
export class LocalLake implements Lake {
  readonly root: string;
  private readonly logger: Logger;
  /** Links already reported, so a run that lists the same folder again says so once. */
  private readonly warned = new Set<string>();
  private realRoot: Promise<string> | undefined;

  /** `options.logger` hears (a warning, once per key) of what a listing leaves out on purpose: a link leading out of the lake. */
  constructor(rootPath: string, options: { logger?: Logger } = {}) {
    this.root = resolve(rootPath);
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Whether a symbolic link stays inside the lake. One leading out is not followed: the lake is
   * what lies under its root, and a link must not make it read (or list) any other folder.
   */
  private async linkStaysInside(path: string, key: string): Promise<boolean> {
    this.realRoot ??= realpath(this.root).catch(() => this.root);
    const root = await this.realRoot;
    const target = await realpath(path).catch(() => undefined);
    if (target === undefined) return false;
    const inside = relative(root, target);
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) return true;
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.logger.warn(`${key} in lake ${this.root} is a link to ${target}, outside the lake: not followed`, {
        key,
      });
    }
    return false;
  }

  private pathOf(key: string): string {
    return key === '' ? this.root : join(this.root, ...key.split('/'));
  }

  private fail(action: string, key: string, error: unknown): LakeError {
    const where = `${key === '' ? 'the root' : `key ${key}`} in lake ${this.root}`;
    switch (errnoCode(error)) {
      case 'ENOENT':
      case 'ENOTDIR':
        return new LakeError('not_found', `cannot ${action} ${where}: not found`, { key, cause: error });
      case 'EACCES':
      case 'EPERM':
        return new LakeError('access_denied', `cannot ${action} ${where}: permission denied`, {
          key,
          cause: error,
        });
      default:
        return new LakeError('io', `cannot ${action} ${where}: ${(error as Error).message}`, {
          key,
          cause: error,
        });
    }
  }

  async *list(prefix: string): AsyncIterable<LakeObject> {
    const base = normalizePrefix(prefix, this.root);
    const keys: string[] = [];
    await this.collect(base, keys, new Set());
    keys.sort(compareKeys);
    for (const key of keys) {
      // A file deleted since the folder was read is simply gone, like a key deleted during an S3 listing.
      const object = await this.stat(key);
      if (object !== undefined) yield object;
    }
  }

  private async collect(folderKey: string, into: string[], visited: Set<string>): Promise<void> {
    const folder = this.pathOf(folderKey);
    let entries;
    try {
      // Symlinked folders inside the lake are followed, once each, so a link cycle cannot loop forever.
      const real = await realpath(folder);
      if (visited.has(real)) return;
      visited.add(real);
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw this.fail('list', folderKey, error);
    }
    for (const entry of entries) {
      if (entry.name.startsWith(TEMP_PREFIX)) continue;
      const key = folderKey === '' ? entry.name : `${folderKey}/${entry.name}`;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        if (!(await this.linkStaysInside(join(folder, entry.name), key))) continue;
        const target = await stat(join(folder, entry.name)).catch(() => undefined);
        isDirectory = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDirectory) await this.collect(key, into, visited);
      else if (isFile) into.push(key);
    }
  }

  async stat(key: string): Promise<LakeObject | undefined> {
    checkKey(key, this.root);
    try {
      const stats = await stat(this.pathOf(key), { bigint: true });
      return stats.isFile() ? toObject(key, stats) : undefined;
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw this.fail('stat', key, error);
    }
  }

  async read(key: string, options: ReadOptions = {}): Promise<AsyncIterable<Uint8Array>> {
    checkKey(key, this.root);
    checkRange(options.range, key, this.root);
    // Opening now pins this version: a concurrent overwrite renames a new file over the name, not into it.
    let handle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (error) {
      throw this.fail('read', key, error);
    }
    const isFile = await handle.stat().then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile) {
      await handle.close();
      throw new LakeError(
        'not_found',
        `cannot read key ${key} in lake ${this.root}: not found (it is a folder)`,
        {
          key,
        },
      );
    }
    const { range } = options;
    const stream = handle.createReadStream({
      highWaterMark: 64 * 1024,
      ...(range === undefined
        ? {}
        : { start: range.start, ...(range.end === undefined ? {} : { end: range.end }) }),
    });
    const fail = (error: unknown): LakeError => this.fail('read', key, error);
    return (async function* () {
      try {
        for await (const chunk of stream) yield chunk as Uint8Array;
      } catch (error) {
        throw fail(error);
      } finally {
        stream.destroy();
      }
    })();
  }

  /** `options.contentType` is accepted for the interface's sake: a file has nowhere to keep it. */
  async write(key: string, body: LakeBody, _options?: WriteOptions): Promise<LakeObject> {
    checkKey(key, this.root);
    const target = this.pathOf(key);
    const folder = dirname(target);
    // IO failures become LakeErrors where they happen; anything else thrown below came from the body.
    const io = <T>(step: Promise<T>): Promise<T> =>
      step.catch((error: unknown) => {
        throw errnoCode(error) === 'EISDIR'
          ? new LakeError('io', `cannot write key ${key} in lake ${this.root}: a folder has that name`, {
              key,
              cause: error,
            })
          : this.fail('write', key, error);
      });
    await io(mkdir(folder, { recursive: true }));
    // Unique per write, so concurrent writers of one key never share a temp file; the last rename wins.
    const temp = join(folder, `${TEMP_PREFIX}${randomUUID()}`);
    const handle = await io(open(temp, 'wx'));
    try {
      let written: LakeObject;
      try {
        if (typeof body === 'string' || body instanceof Uint8Array) {
          await io(handle.writeFile(body));
        } else {
          for await (const chunk of body) await io(handle.write(chunk));
        }
        // Flushed before the rename, so a crash cannot leave the final name holding a part.
        await io(handle.sync());
        written = toObject(key, await io(handle.stat({ bigint: true })));
      } finally {
        await handle.close().catch(() => undefined);
      }
      await io(rename(temp, target));
      return written;
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(key, this.root);
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      // A folder is not an object, so there is nothing to delete (Linux says EISDIR, macOS EPERM).
      if (
        (code === 'EISDIR' || code === 'EPERM') &&
        (await lstat(path).catch(() => undefined))?.isDirectory()
      )
        return;
      throw this.fail('delete', key, error);
    }
  }

  async deletePrefix(prefix: string, options: DeletePrefixOptions = {}): Promise<number> {
    const keys: string[] = [];
    for await (const object of this.list(prefix)) if (object.key !== options.keep) keys.push(object.key);
    for (const key of keys) await this.delete(key);
    return keys.length;
  }

  async materialize(prefix: string, scratchDir: string): Promise<string> {
    const base = normalizePrefix(prefix, this.root);
    const folder = this.pathOf(base);
    const isFolder = await stat(folder).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (isFolder) return folder;
    // Nothing under the prefix: an empty folder keeps the promise that the returned folder exists.
    try {
      await mkdir(scratchDir, { recursive: true });
      return await mkdtemp(join(scratchDir, 'materialized-'));
    } catch (error) {
      throw new LakeError('io', `cannot materialize prefix ${base} of lake ${this.root} into ${scratchDir}`, {
        key: base,
        cause: error,
      });
    }
  }
}
