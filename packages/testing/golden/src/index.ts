// Test support over the golden cases: the repository's cases, their lake files as the pure
// packages read them, and seeded mutations. Reading and comparing cases is @streampulse/acceptance,
// re-exported here so a test needs one import.
export {
  compareCsv,
  csvCheck,
  formatSmokeTable,
  readGoldenCase,
  type GoldenCase,
  type GoldenReport,
  type GoldenSettings,
  type SmokeCheck,
} from '@streampulse/acceptance';
export { contractReportOf, goldenCases, lakeFiles, type LakeFile } from './golden-cases.js';
export { seededMutation } from './mutation.js';
