export { AthenaSetupError, type AthenaSetupErrorCode } from './errors.js';
export { main, type SetupIo } from './main.js';
export { runAthenaStatements, type PollClock, type RunStatementsOptions } from './run-statements.js';
