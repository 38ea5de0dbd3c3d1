import { CsvParser } from './csv-parser.js';
import type { DecodedRecord, RecordParser } from './decoded-record.js';
import type { FileFormat, FileType } from './file-type.js';
import { gunzip } from './gunzip.js';
import { JsonFileParser } from './json-file-parser.js';
import { JsonLinesParser } from './json-lines-parser.js';
import { utf8Text } from './utf8-text.js';

/**
 * Decodes one file, streaming: bytes in (any chunking), numbered records out, in batches (one per
 * piece of input of up to 64 KiB, so memory stays bounded and the per-record cost low).
 *
 * Records a file holds but that are not usable (a CSV row with the wrong number of fields, a JSON
 * value that is not an object) come out as `ok: false` records. When the file itself cannot be
 * read to its end, the iteration throws {@link FileDecodeError}; the records already yielded must
 * then be discarded, as the contract loads a file all or nothing. Errors of the source pass
 * through unchanged.
 *
 * @example
 * const type = { format: 'csv', gzip: true } as const;
 * for await (const batch of decodeFile(createReadStream('part-0002.csv.gz'), type)) {
 *   for (const record of batch) console.log(record.row, record.ok ? record.fields : record.detail);
 * }
 */
export async function* decodeFile(
  source: AsyncIterable<Uint8Array>,
  type: FileType,
): AsyncIterable<DecodedRecord[]> {
  const parser = parserFor(type.format);
  const text = utf8Text(type.gzip ? gunzip(source) : source);
  for await (const piece of text) {
    const batch: DecodedRecord[] = [];
    parser.push(piece, batch);
    if (batch.length > 0) yield batch;
  }
  const last: DecodedRecord[] = [];
  parser.finish(last);
  if (last.length > 0) yield last;
}

function parserFor(format: FileFormat): RecordParser {
  switch (format) {
    case 'csv':
      return new CsvParser(',');
    case 'tsv':
      return new CsvParser('\t');
    case 'jsonl':
      return new JsonLinesParser();
    case 'json':
      return new JsonFileParser();
    default:
      // Only reachable from untyped callers.
      throw new TypeError(`decodeFile: unknown format ${JSON.stringify(format satisfies never)}`);
  }
}
