/**
 * The one list of test projects. vitest 4 no longer reads this file by itself, so the root
 * `vitest.config.ts` imports it into `test.projects`; nx infers each project's `test` target
 * from the `vitest.config.ts` the globs below point at. `tools/test/test-projects.test.ts` fails
 * when a package has tests that neither this list nor {@link separateSuites} reaches.
 */
const testProjects: string[] = [
  'packages/core/*/vitest.config.ts',
  'packages/io/*/vitest.config.ts',
  'packages/testing/golden/vitest.config.ts',
  'packages/testing/servers/vitest.config.ts',
  'packages/dev/*/vitest.config.ts',
  'apps/*/vitest.config.ts',
  'packages/testing/reliability/vitest.config.ts',
  'tools/vitest.config.ts',
];

/**
 * Suites `npm test` leaves out on purpose, each with the root script that runs it: they need an
 * engine installed by a setup script and minutes of JVM time.
 */
export const separateSuites: Readonly<Record<string, string>> = {
  'packages/testing/trino': 'test:trino',
  'apps/glue-launcher/test/spark': 'test:spark',
};

export default testProjects;
