export { WarehouseError, type WarehouseErrorCode } from './errors.js';
export { redactDatabaseUrl } from './url.js';
export { connectWarehouse, type ConnectOptions } from './connect.js';
export { migrate } from './migrate.js';
export {
  loadFile,
  stageCopyText,
  stageFile,
  type FileCopyLoad,
  type FileLoad,
  type FileLoadResult,
  type StagedFile,
} from './load-file.js';
export {
  ledgerEntry,
  loadedEtags,
  recordFileFailure,
  type FileFailure,
  type LedgerEntry,
  type LedgerStatus,
} from './ledger.js';
export { markDaysAggregated, pendingDays } from './days.js';
export { dumpProcessedCsv } from './dump.js';
export { COPY_COLUMNS, escapeCopyText } from './copy-text.js';
export { CopyTextWriter, copyLine } from './copy-writer.js';
