import { configDefaults } from 'vitest/config';
import { streampulseProject } from '../../vitest.shared.ts';

// The Spark suites need `npm run spark:setup` and minutes of JVM time: `npm run test:spark` runs
// them (vitest.spark.config.ts), `npm test` does not.
export default streampulseProject('glue-launcher', {
  exclude: [...configDefaults.exclude, '**/out-tsc/**', 'test/spark/**'],
});
