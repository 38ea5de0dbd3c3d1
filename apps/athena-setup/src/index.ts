export { AthenaSetupError, type AthenaSetupErrorCode } from './errors.js';
export { main, type SetupIo } from './main.js';
export {
  runAthenaStatement,
  runAthenaStatements,
  type PollClock,
  type RunStatementsOptions,
} from './run-statements.js';
export { backfillAggregates, daysFromTo, type BackfillOptions } from './backfill-aggregates.js';
export { runAthenaSmoke, SMOKE_DATABASE, type AthenaSmokeDeps, type AthenaSmokeOptions } from './smoke.js';
export { processedParquet } from './parquet.js';
