// Golden cases as acceptance cases: reading a case folder, and comparing what an engine produced
// with what the case expects. The test suites and the apps' `smoke` commands (which prove a
// deployed stack) share them.
export { AcceptanceError, type AcceptanceErrorCode } from './errors.js';
export {
  goldenCasesIn,
  lakeFolderKeys,
  readGoldenCase,
  repositoryGoldenCases,
  REPOSITORY_CASES_DIR,
  type GoldenCase,
  type GoldenReport,
  type GoldenSettings,
} from './golden-case.js';
export { compareCsv, csvCheck, formatSmokeTable, type SmokeCheck } from './smoke-checks.js';
