import { readdir, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LakeError, LocalLake, openLake } from '../src/index.js';
import { describeLakeContract } from './lake-contract.js';
import { freshFolders, listKeys, readAll } from './support.js';
import { textLineLogger } from '@streampulse/logging';

const folders = freshFolders('local');
const freshRoot = folders.fresh;

describeLakeContract('LocalLake', async () => new LocalLake(await freshRoot()));

describe('LocalLake (local only)', () => {
  it('never shows a reader a partial or missing file while the key is overwritten again and again', async () => {
    const lake = new LocalLake(await freshRoot());
    // Versions of very different sizes, each made of one repeated letter, so any mix or cut is visible.
    const versions = Array.from({ length: 40 }, (_, i) =>
      String.fromCharCode(65 + (i % 26)).repeat(1 + ((i * 7919) % 300_000)),
    );
    await lake.write('out/report.csv', versions[0] ?? '');
    let writing = true;
    const writer = (async () => {
      try {
        for (const version of versions) await lake.write('out/report.csv', version);
      } finally {
        writing = false;
      }
    })();
    const seen: string[] = [];
    while (writing) {
      const text = (await readAll(lake, 'out/report.csv')).toString('utf8');
      seen.push(text);
    }
    await writer;
    expect(seen.length).toBeGreaterThan(0);
    for (const text of seen) expect(versions).toContain(text);
    expect(await readdir(join(lake.root, 'out'))).toEqual(['report.csv']);
  });

  it('lets concurrent writers of one key finish with one whole version and no leftovers', async () => {
    const lake = new LocalLake(await freshRoot());
    const versions = Array.from({ length: 20 }, (_, i) => `${i}`.repeat(10_000 + i));
    await Promise.all(versions.map((v) => lake.write('out/same.txt', v)));
    expect(versions).toContain((await readAll(lake, 'out/same.txt')).toString());
    expect(await readdir(join(lake.root, 'out'))).toEqual(['same.txt']);
  });

  it('never lists an in-flight write, neither its key nor its temp file', async () => {
    const lake = new LocalLake(await freshRoot());
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => undefined;
    const begun = new Promise<void>((resolve) => {
      started = resolve;
    });
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('part one,');
      started();
      await gate;
      yield Buffer.from('part two');
    }
    const write = lake.write('out/slow.csv', slow());
    await begun;
    expect((await readdir(join(lake.root, 'out'))).some((name) => name.startsWith('.'))).toBe(true);
    expect(await listKeys(lake, '')).toEqual([]);
    expect(await lake.stat('out/slow.csv')).toBeUndefined();
    release();
    await write;
    expect(await listKeys(lake, '')).toEqual(['out/slow.csv']);
    expect((await readAll(lake, 'out/slow.csv')).toString()).toBe('part one,part two');
  });

  it('lists objects behind a symlinked folder once, even through a link cycle', async () => {
    const root = await freshRoot();
    const lake = new LocalLake(root);
    await lake.write('data/a.csv', 'a');
    await symlink(join(root, 'data'), join(root, 'linked'));
    await symlink(root, join(root, 'data', 'loop'));
    expect(await listKeys(lake, '')).toEqual(['data/a.csv']);
    expect(await listKeys(lake, 'linked')).toEqual(['linked/a.csv']);
  });

  it('does not follow a link leading out of the lake, and says so once per link', async () => {
    const root = await freshRoot();
    const outside = await freshRoot();
    await writeFile(join(outside, 'secret.csv'), 'x');
    const warnings: string[] = [];
    const lake = new LocalLake(root, {
      logger: textLineLogger((line) => warnings.push(line), { minLevel: 'WARN' }),
    });
    await lake.write('raw/a.csv', 'a');
    await symlink(outside, join(root, 'raw', 'out-folder'));
    await symlink(join(outside, 'secret.csv'), join(root, 'raw', 'out-file.csv'));
    await symlink(join(root, 'raw', 'a.csv'), join(root, 'raw', 'in-file.csv'));
    expect(await listKeys(lake, 'raw')).toEqual(['raw/a.csv', 'raw/in-file.csv']);
    expect(await listKeys(lake, '')).toEqual(['raw/a.csv', 'raw/in-file.csv']);
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/raw\/out-folder .* outside the lake: not followed/);
    expect(warnings.join('\n')).toMatch(/raw\/out-file\.csv .* outside the lake: not followed/);
  });

  it('reports the root as an absolute path and materializes to the real folder', async () => {
    const root = await freshRoot();
    const lake = new LocalLake(root);
    await lake.write('raw/playback/a.csv', 'a');
    expect(lake.root).toBe(root);
    expect(await lake.materialize('raw/playback/', join(folders.path(), 'unused'))).toBe(
      join(root, 'raw', 'playback'),
    );
  });

  it('refuses to write over a folder with an io error naming the key', async () => {
    const lake = new LocalLake(await freshRoot());
    await lake.write('raw/folder/a.csv', 'a');
    const error = await lake.write('raw/folder', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LakeError);
    expect((error as LakeError).code).toBe('io');
    expect((error as LakeError).message).toContain('raw/folder');
    expect(await listKeys(lake, 'raw')).toEqual(['raw/folder/a.csv']);
  });
});

describe('openLake with a local root', () => {
  it('fails with not_found naming the path when the root is missing', () => {
    const missing = join(folders.path(), 'no', 'such', 'lake');
    let error: unknown;
    try {
      openLake(missing);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LakeError);
    expect((error as LakeError).code).toBe('not_found');
    expect((error as LakeError).message).toContain(missing);
  });

  it('creates a missing root when asked to', async () => {
    const root = join(folders.path(), 'created', 'lake');
    const lake = openLake(root, { createIfMissing: true });
    expect(lake.root).toBe(root);
    expect(lake).toBeInstanceOf(LocalLake);
    await lake.write('a.csv', 'a');
    expect(await listKeys(openLake(root), '')).toEqual(['a.csv']);
  });

  it('fails with invalid_root when the root is a file', async () => {
    const file = join(folders.path(), 'a-file');
    await writeFile(file, 'x');
    expect(() => openLake(file)).toThrow(expect.objectContaining({ code: 'invalid_root' }) as Error);
  });

  it('resolves a relative root against the working directory', async () => {
    const root = await freshRoot();
    const lake = openLake(relative(process.cwd(), root));
    expect(lake.root).toBe(root);
  });
});
