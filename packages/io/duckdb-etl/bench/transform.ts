// The DuckDB engine's decode and transform, timed alone (no PostgreSQL): `npm run bench` runs it
// as a child process and reads its one JSON line. A measuring tool, not a test.
//   npx tsx --conditions=development packages/io/duckdb-etl/bench/transform.ts <lakeDir>
import { openLake } from '@streampulse/lake';
import { DEFAULT_SETTINGS } from '@streampulse/schema';
import { runDuckdbTransform } from '../src/index.js';

const lakeDir = process.argv[2];
if (!lakeDir) {
  console.error('Usage: transform.ts <lakeDir>');
  process.exit(64);
}
const started = performance.now();
const summary = await runDuckdbTransform({ lake: openLake(lakeDir), settings: DEFAULT_SETTINGS });
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, ...summary }));
