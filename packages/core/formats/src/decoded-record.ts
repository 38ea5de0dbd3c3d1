/**
 * One record of a file, numbered 1-based by its position in the file (a CSV header and skipped
 * empty lines are not counted; a CSV record spanning several lines counts once; JSON array
 * elements by index + 1).
 *
 * - `ok: true`: `fields` are the (name, value) pairs in column or key order, duplicates kept (CSV
 *   values are the untouched strings, JSON values as parsed); `raw` is what a quarantine stores:
 *   for CSV an object header name -> value (a name seen again gets the key `name#2`, `name#3`...),
 *   for JSON the parsed object.
 * - `ok: false`: a `malformed_row`. `raw` is the CSV row's field strings, the JSON value that is
 *   not an object, or the JSON Lines text that does not parse; `detail` says why.
 *
 * @example
 * for (const record of batch) {
 *   if (record.ok) use(record.row, record.names, record.values);
 *   else quarantine(record.row, 'malformed_row', record.raw, record.detail);
 * }
 */
export type DecodedRecord = FieldRecord | MalformedRecord;

/**
 * A record whose fields could be read. `names[i]` is the header name or JSON key of
 * `values[i]`; for CSV every record of a file shares one `names` array, so a consumer can map
 * columns once per file instead of once per row.
 */
export interface FieldRecord {
  readonly row: number;
  readonly ok: true;
  readonly names: readonly string[];
  readonly values: readonly unknown[];
  /** What a quarantine stores (built on first access: most records never need it). */
  readonly raw: unknown;
  /** The (name, value) pairs in column or key order (built on access; prefer names/values). */
  readonly fields: ReadonlyArray<readonly [name: string, value: unknown]>;
}

/** A `malformed_row`: a ragged CSV row, or a JSON value that is not an object. */
export interface MalformedRecord {
  readonly row: number;
  readonly ok: false;
  readonly raw: unknown;
  readonly detail: string;
}

/** Shared by both record kinds: pairs built from names and values on demand. */
export function pairs(names: readonly string[], values: readonly unknown[]): [string, unknown][] {
  return names.map((name, i) => [name, values[i]]);
}

/**
 * A push parser for one file's text: `push` takes the text in pieces of any size (cut anywhere)
 * and appends the records each piece completes; `finish` is called once at the end of the file.
 * Both throw {@link FileDecodeError} when the file cannot be read.
 */
export interface RecordParser {
  push(text: string, out: DecodedRecord[]): void;
  finish(out: DecodedRecord[]): void;
}
