import type { DecodedRecord, RecordParser } from './decoded-record.js';
import { JsonArrayParser } from './json-array-parser.js';
import { JsonLinesParser } from './json-lines-parser.js';

/**
 * Reader of a `.json` file: a JSON array of records when its first non-blank character is `[`,
 * JSON Lines otherwise. Blank text before that character is dropped.
 */
export class JsonFileParser implements RecordParser {
  private parser: RecordParser | undefined;

  push(text: string, out: DecodedRecord[]): void {
    if (this.parser !== undefined) {
      this.parser.push(text, out);
      return;
    }
    const start = text.search(/\S/);
    if (start === -1) return;
    this.parser = text.charCodeAt(start) === 0x5b ? new JsonArrayParser() : new JsonLinesParser();
    this.parser.push(text.slice(start), out);
  }

  finish(out: DecodedRecord[]): void {
    this.parser?.finish(out);
  }
}
