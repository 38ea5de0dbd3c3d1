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
 *   if (record.ok) use(record.row, new Map(record.fields));
 *   else quarantine(record.row, 'malformed_row', record.raw, record.detail);
 * }
 */
export type DecodedRecord =
  | {
      readonly row: number;
      readonly ok: true;
      readonly fields: ReadonlyArray<readonly [name: string, value: unknown]>;
      readonly raw: unknown;
    }
  | { readonly row: number; readonly ok: false; readonly raw: unknown; readonly detail: string };

/**
 * A push parser for one file's text: `push` takes the text in pieces of any size (cut anywhere)
 * and appends the records each piece completes; `finish` is called once at the end of the file.
 * Both throw {@link FileDecodeError} when the file cannot be read.
 */
export interface RecordParser {
  push(text: string, out: DecodedRecord[]): void;
  finish(out: DecodedRecord[]): void;
}
