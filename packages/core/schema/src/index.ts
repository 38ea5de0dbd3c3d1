export {
  AGGREGATE_GROUP_COLUMNS,
  DAILY_ACTIVE_USERS_COLUMNS,
  DAILY_ENGAGEMENT_COLUMNS,
  PROCESSED_COLUMNS,
  type ColumnSpec,
} from './columns.js';
export {
  dailyActiveUsersRowSchema,
  dailyEngagementRowSchema,
  processedRowSchema,
  rawContentRecordSchema,
  rawPlaybackRecordSchema,
  rawUserRecordSchema,
  type DailyActiveUsersRow,
  type DailyEngagementRow,
  type ProcessedRow,
  type RawContentRecord,
  type RawPlaybackRecord,
  type RawUserRecord,
} from './records.js';
export {
  DEFAULT_SETTINGS,
  isIanaTimeZone,
  parseSettingsNamed,
  pipelineSettingsSchema,
  timeZoneSchema,
  type NamedSettingsResult,
  type PipelineSettings,
  type PipelineSettingsInput,
} from './settings.js';
export {
  ALL,
  DEVICE_TYPES,
  REJECTION_REASONS,
  UNKNOWN,
  type DeviceType,
  type RejectionReason,
} from './vocabulary.js';
export {
  AGGREGATE_OBJECT_NAME,
  AGGREGATE_TABLES,
  aggregateObjectKey,
  LAKE_LAYOUT,
  partitionPrefix,
  type AggregateFormat,
  type AggregateTable,
} from './layout.js';
export { WAREHOUSE_TABLES } from './warehouse-tables.js';
export { addDays, calendarDays, dayNumber, isCalendarDay, MS_PER_DAY } from './days.js';
export {
  GLUE_JOB_NAMES,
  GLUE_RUNNER_SCRIPT,
  glueJobDefinitions,
  glueWorkerCountSchema,
  glueWorkerTypeSchema,
  type GlueJobDefinition,
  type GlueJobKind,
  type GlueJobOptions,
  type GlueWorkerType,
} from './glue-jobs.js';
