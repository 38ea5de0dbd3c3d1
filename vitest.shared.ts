import { defaultServerConditions } from 'vite';
import { configDefaults, defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Shared settings for every package's `vitest.config.ts`: tests import sibling packages
 * through their `development` export condition, i.e. straight from TypeScript source,
 * so no build is needed before `npm test`.
 */
export function streampulseProject(
  name: string,
  extra: UserWorkspaceConfig['test'] = {},
): UserWorkspaceConfig {
  // Vite's 'module' condition would send Node to ESM builds (the AWS SDK's dist-es) whose
  // extensionless imports Node cannot load itself; vitest leaves it out by default too.
  const conditions = ['development', ...defaultServerConditions.filter((c) => c !== 'module')];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      name,
      environment: 'node',
      exclude: [...configDefaults.exclude, '**/out-tsc/**'],
      // Time limits only catch hangs: CI shares two cores between PostgreSQL, s3rver, esbuild
      // and the tests, so the defaults (5 s, 10 s) would fail slow-but-correct runs.
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...extra,
    },
  });
}
