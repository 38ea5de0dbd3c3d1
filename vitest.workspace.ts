/**
 * The one list of test projects. vitest 4 no longer reads this file by itself, so the root
 * `vitest.config.ts` imports it into `test.projects`; nx infers each project's `test` target
 * from the `vitest.config.ts` the globs below point at.
 */
const testProjects: string[] = [
  'packages/core/*/vitest.config.ts',
  'packages/io/*/vitest.config.ts',
  'apps/*/vitest.config.ts',
  'packages/testing/reliability/vitest.config.ts',
  'tools/vitest.config.ts',
];

export default testProjects;
