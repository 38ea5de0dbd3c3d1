// The data contract as pure functions. Others import this package in their own services.
export { civilDateText, daysFromCivil, isValidDate } from './calendar.js';
export { SessionDeduper } from './dedupe.js';
export {
  contentDimension,
  Dimension,
  UNKNOWN_CONTENT,
  UNKNOWN_USER,
  userDimension,
  type ContentInfo,
  type DimensionCounts,
  type UserInfo,
} from './dimensions.js';
export {
  divideHalfUp,
  durationHundredths,
  formatHundredths,
  hundredthsToMinutes,
  minutesToHundredths,
} from './duration.js';
export {
  CANONICAL_FIELDS,
  canonicalFieldOf,
  FIELD_ALIASES,
  FieldMapper,
  foldFieldName,
  type CanonicalField,
  type CanonicalRecord,
} from './fields.js';
export { PlaybackFileTransform, type PlaybackFileCounts, type Rejection } from './file-transform.js';
export { processedCsv, processedRowValues } from './processed-csv.js';
export { hashId, IdTable } from './id-table.js';
export { PlaybackJoin, type OrphanCounts } from './join.js';
export {
  buildDimension,
  runPipeline,
  type DimensionFileOutcome,
  type PipelineInput,
  type PipelineResult,
  type SourceFile,
} from './pipeline.js';
export {
  durationMinutes,
  playbackRules,
  validatePlayback,
  type PlaybackResult,
  type PlaybackRules,
  type ValidPlayback,
} from './playback.js';
export {
  RunReportBuilder,
  type FileReport,
  type FileStatus,
  type RowsWritten,
  type RunReport,
} from './run-report.js';
export { timeZone, type TimeZone } from './time-zone.js';
export {
  EPOCH_MILLIS_DIGITS,
  EPOCH_SECONDS_DIGITS,
  parseTimestamp,
  TIMESTAMP_FORMS,
  VALID_INSTANT_RANGE,
  type TimestampContext,
} from './timestamps.js';
export {
  DEVICE_ALIASES,
  GENRE_SEPARATORS,
  isMissingText,
  MISSING_TOKENS,
  normalizeDeviceType,
  normalizeGenre,
  normalizeIdentifier,
  normalizeRegion,
  normalizeTitle,
} from './values.js';
