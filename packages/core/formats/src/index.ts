export { classifyKey, compareKeys, type FileFormat, type FileType, type KeyClass } from './file-type.js';
export { decodeFile } from './decode-file.js';
export type { DecodedRecord, FieldRecord, MalformedRecord } from './decoded-record.js';
export { encodeCsvRow } from './encode-csv-row.js';
export { FileDecodeError, type FileDecodeErrorCode } from './file-decode-error.js';
export { csvHeader, csvRawKeys } from './csv-parser.js';
