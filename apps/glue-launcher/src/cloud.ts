// The smoke tool: it compiles plans and reads results with DuckDB, so it lives on
// their own subpath (`@streampulse/glue-launcher/cloud`), apart from the CLI entry.
export {
  caseJobFiles,
  compareCase,
  compareCsv,
  formatSmokeTable,
  readSmokeCase,
  runSmoke,
  type SmokeCase,
  type SmokeCheck,
  type SmokeDeps,
  type SmokeOptions,
  type SmokeSource,
} from './smoke.js';
export { warehouseSmokeSource } from './smoke-source.js';
