import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleSource, importSource } from '../src/index.js';

// Projects live under this package's node_modules, so their installed imports resolve as the
// repository's do.
const scratch = join(import.meta.dirname, '..', 'node_modules', '.cache', 'source-runner-tests');
const projects: string[] = [];

function project(files: Record<string, string>): string {
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(join(scratch, 'project-'));
  projects.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', type: 'module' }));
  // Saved a while ago: a file saved while a build runs is one the build may have missed.
  const earlier = new Date(Date.now() - 60_000);
  for (const [path, text] of Object.entries({ ...files, 'package.json': undefined })) {
    if (text !== undefined) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    utimesSync(join(dir, path), earlier, earlier);
  }
  return dir;
}

/** Rewrites a file with a later modification time, as an editor saving it would. */
function edit(path: string, text: string): void {
  writeFileSync(path, text);
  const later = new Date(Date.now() + 5_000);
  utimesSync(path, later, later);
}

afterEach(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('importSource', () => {
  it('runs a TypeScript entry with its imports, static and dynamic', async () => {
    const dir = project({
      'src/main.ts': [
        "import { twice } from './twice.ts';",
        'export const value: number = twice(21);',
        "export const later = async (): Promise<string> => (await import('./later.ts')).word;",
      ].join('\n'),
      'src/twice.ts': 'export const twice = (n: number): number => n * 2;',
      'src/later.ts': "export const word: string = 'loaded when asked';",
    });
    const main = await importSource<{ value: number; later: () => Promise<string> }>(
      join(dir, 'src/main.ts'),
    );
    expect(main.value).toBe(42);
    await expect(main.later()).resolves.toBe('loaded when asked');
  });

  it('keeps import.meta naming the source file, not the bundle', async () => {
    const dir = project({
      'src/main.ts':
        'export const where = { url: import.meta.url, dirname: import.meta.dirname, filename: import.meta.filename };',
    });
    const { where } = await importSource<{ where: Record<string, string> }>(join(dir, 'src/main.ts'));
    expect(where).toEqual({
      url: pathToFileURL(join(dir, 'src/main.ts')).href,
      dirname: join(dir, 'src'),
      filename: join(dir, 'src/main.ts'),
    });
  });

  it('leaves installed packages to Node, which loads them from node_modules', async () => {
    const dir = project({
      'src/main.ts': "import { version } from 'esbuild';\nexport const esbuildVersion = version;",
    });
    const { file } = await bundleSource(join(dir, 'src/main.ts'));
    expect(readFileSync(file, 'utf8')).toMatch(/from "esbuild"/);
    const { esbuildVersion } = await importSource<{ esbuildVersion: string }>(join(dir, 'src/main.ts'));
    expect(esbuildVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('names the file and line of a source that does not compile', async () => {
    const dir = project({ 'src/main.ts': 'export const broken = (;\n' });
    await expect(importSource(join(dir, 'src/main.ts'))).rejects.toThrow(/src\/main\.ts:1:\d+: /);
  });
});

describe('bundleSource', () => {
  it('reuses the bundle while no source changed', async () => {
    const dir = project({
      'src/main.ts': "export { value } from './value.ts';",
      'src/value.ts': 'export const value = 1;',
    });
    const first = await bundleSource(join(dir, 'src/main.ts'));
    const second = await bundleSource(join(dir, 'src/main.ts'));
    expect(first.built).toBe(true);
    expect(second).toEqual({ file: first.file, built: false });
  });

  it('builds again when an imported source changed, and the new bundle has the change', async () => {
    const dir = project({
      'src/main.ts': "export { value } from './value.ts';",
      'src/value.ts': 'export const value = 1;',
    });
    const first = await bundleSource(join(dir, 'src/main.ts'));
    edit(join(dir, 'src/value.ts'), 'export const value = 2;');
    const second = await bundleSource(join(dir, 'src/main.ts'));
    expect(second.built).toBe(true);
    expect(second.file).not.toBe(first.file);
    const { value } = (await import(pathToFileURL(second.file).href)) as { value: number };
    expect(value).toBe(2);
  });

  it('builds again when a package.json the sources resolve through changed', async () => {
    const dir = project({ 'src/main.ts': 'export const value = 1;' });
    await bundleSource(join(dir, 'src/main.ts'));
    edit(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', type: 'module', version: '2.0.0' }));
    await expect(bundleSource(join(dir, 'src/main.ts'))).resolves.toMatchObject({ built: true });
  });
});
