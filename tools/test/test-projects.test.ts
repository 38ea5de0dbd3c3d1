import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'out-tsc', 'fixtures'].includes(entry.name) || entry.name.startsWith('.'))
      continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(path));
    else if (entry.name.endsWith('.test.ts')) found.push(relative(root, path).split(sep).join('/'));
  }
  return found;
}

/** The folder of the nearest vitest.config.ts above a test file: the project that runs it. */
function projectOf(file: string): string | undefined {
  for (let dir = dirname(file); dir !== '.'; dir = dirname(dir)) {
    if (existsSync(join(root, dir, 'vitest.config.ts'))) return dir;
  }
  return undefined;
}

function matches(glob: string, path: string): boolean {
  const pattern = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}

// Loaded by path: the list lives outside this package's TypeScript root.
const workspace = (await import(pathToFileURL(join(root, 'vitest.workspace.ts')).href)) as {
  default: string[];
  separateSuites: Record<string, string>;
};
const testProjects = workspace.default;
const separateSuites = workspace.separateSuites;

const files = ['packages', 'apps', 'tools'].flatMap((top) => testFiles(join(root, top)));
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('the test project list', () => {
  it('finds the test files it checks', () => {
    expect(files).toContain('tools/test/test-projects.test.ts');
    expect(files).toContain('packages/io/acceptance/test/acceptance.test.ts');
  });

  it('reaches every test file, through npm test or a named separate suite', () => {
    const unreached = files.filter((file) => {
      const suite = Object.keys(separateSuites).find((dir) => file.startsWith(`${dir}/`));
      if (suite !== undefined) return false;
      const project = projectOf(file);
      return (
        project === undefined || !testProjects.some((glob) => matches(glob, `${project}/vitest.config.ts`))
      );
    });
    expect(unreached).toEqual([]);
  });

  it("keeps every test in its package's test/ folder, none beside the sources", () => {
    // src/ is what a package ships (tsconfig.lib.json builds all of it); tests live in test/.
    expect(files.filter((file) => /^(packages\/[^/]+\/[^/]+|apps\/[^/]+|tools)\/src\//.test(file))).toEqual(
      [],
    );
  });

  it('names a root script for every separate suite', () => {
    for (const script of Object.values(separateSuites)) expect(scripts[script]).toBeDefined();
  });
});
