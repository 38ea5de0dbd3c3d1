export {
  goldenCases,
  lakeFiles,
  type GoldenCase,
  type GoldenReport,
  type GoldenSettings,
  type LakeFile,
} from './golden-cases.js';
