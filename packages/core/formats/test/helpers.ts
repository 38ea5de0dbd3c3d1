import { expect } from 'vitest';
import { decodeFile, FileDecodeError, type DecodedRecord, type FileType } from '../src/index.js';

export const CSV: FileType = { format: 'csv', gzip: false };
export const TSV: FileType = { format: 'tsv', gzip: false };
export const JSONL: FileType = { format: 'jsonl', gzip: false };
export const JSON_FILE: FileType = { format: 'json', gzip: false };

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A source yielding the given chunks (text is UTF-8 encoded), one at a time. */
export async function* chunksOf(...chunks: (Uint8Array | string)[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield typeof chunk === 'string' ? utf8(chunk) : chunk;
}

/** The bytes cut at the given offsets. */
export function splitAt(bytes: Uint8Array, ...offsets: number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const offset of offsets) {
    parts.push(bytes.subarray(start, offset));
    start = offset;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

/** A decoded record as plain data (its lazily built `fields` and `raw` read), for `toEqual`. */
export type PlainRecord =
  | { row: number; ok: true; fields: ReadonlyArray<readonly [string, unknown]>; raw: unknown }
  | { row: number; ok: false; raw: unknown; detail: string };

export function plain(record: DecodedRecord): PlainRecord {
  if (!record.ok) return { row: record.row, ok: false, raw: record.raw, detail: record.detail };
  expect(record.names.map((name, i) => [name, record.values[i]])).toEqual(record.fields);
  return { row: record.row, ok: true, fields: record.fields, raw: record.raw };
}

export async function decodeAll(source: AsyncIterable<Uint8Array>, type: FileType): Promise<PlainRecord[]> {
  const records: PlainRecord[] = [];
  for await (const batch of decodeFile(source, type)) for (const record of batch) records.push(plain(record));
  return records;
}

/** Decodes text given as one chunk, or as several chunks. */
export function decodeText(type: FileType, ...chunks: string[]): Promise<PlainRecord[]> {
  return decodeAll(chunksOf(...chunks), type);
}

/** The error decoding throws; fails the test when decoding succeeds or throws something else. */
export async function decodeFailure(
  source: AsyncIterable<Uint8Array>,
  type: FileType,
): Promise<FileDecodeError> {
  try {
    await decodeAll(source, type);
  } catch (error) {
    expect(error).toBeInstanceOf(FileDecodeError);
    return error as FileDecodeError;
  }
  throw new Error('expected the file to fail, but it decoded');
}

/** Records in a compact form for expectations: `{ row, values }` (field values in order) or `{ row, malformed: raw }`. */
export function summary(records: readonly PlainRecord[]): unknown[] {
  return records.map((record) =>
    record.ok
      ? { row: record.row, values: record.fields.map(([, value]) => value) }
      : { row: record.row, malformed: record.raw },
  );
}
