import { streampulseProject } from '../../../vitest.shared.ts';

// Not in vitest.workspace.ts: `npm test` needs no Trino. `npm run test:trino` runs this project
// alone, after `npm run trino:setup`; one server serves every test file.
export default streampulseProject('trino', {
  globalSetup: ['test/global-setup.ts'],
  // Every test with its lake's name: the run's output is the report of what Trino answered.
  reporters: ['verbose'],
  fileParallelism: false,
  testTimeout: 300_000,
  hookTimeout: 600_000,
});
