import { streampulseProject } from '../../vitest.shared.ts';

// The Glue job plans on a local Spark (Glue 5.0's 3.5.4), run by `npm run test:spark` after
// `npm run spark:setup`. One file at a time: each keeps one Spark JVM, and the machine has two
// cores.
export default streampulseProject('glue-launcher-spark', {
  include: ['test/spark/**/*.test.ts'],
  fileParallelism: false,
  testTimeout: 900_000,
});
