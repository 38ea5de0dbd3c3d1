export {
  contractReportOf,
  goldenCases,
  lakeFiles,
  readGoldenCase,
  type GoldenCase,
  type GoldenReport,
  type GoldenSettings,
  type LakeFile,
} from './golden-cases.js';
export { compareCsv, csvCheck, formatSmokeTable, type SmokeCheck } from './smoke-checks.js';
export { seededMutation } from './mutation.js';
