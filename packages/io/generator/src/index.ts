// The synthetic lake generator: `@streampulse/generator`.
export { TRICKY_TITLES } from './catalog.js';
export { PLAYBACK_FORMATS, type PlaybackFormat } from './encoders.js';
export {
  generateLake,
  GenerateOptionsError,
  type GeneratedFile,
  type GenerateLakeOptions,
  type GenerateProgress,
  type GenerateSummary,
} from './generate-lake.js';
export { AliasTable, Random, type RandomSource } from './random.js';
export { DIRT_KINDS, type DirtKind } from './rows.js';
export { localFolderWriter, type LakeWriter } from './writer.js';
