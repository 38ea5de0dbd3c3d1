import { pairs, type DecodedRecord, type FieldRecord, type RecordParser } from './decoded-record.js';
import { FileDecodeError } from './file-decode-error.js';
import { indexOrEnd } from './index-or-end.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;

// Where the character-by-character reader stands; it keeps this between pieces of text.
/** Between records: the next character starts a line. */
const AT_LINE_START = 0;
/** Inside a record, right after a delimiter. */
const AT_FIELD_START = 1;
const IN_UNQUOTED = 2;
const IN_QUOTED = 3;
/** Right after a quote inside a quoted field: the closing quote, or the first half of `""`. */
const AFTER_QUOTE = 4;
type ReaderState =
  typeof AT_LINE_START | typeof AT_FIELD_START | typeof IN_UNQUOTED | typeof IN_QUOTED | typeof AFTER_QUOTE;

/**
 * Streaming CSV/TSV reader: RFC 4180 quoting with either delimiter, LF, CRLF or CR line ends, the
 * first non-empty line as the header. Text may be cut anywhere between pieces (inside quotes,
 * between a CR and its LF).
 *
 * Lines without a quote take a fast path (find the line end, cut at delimiters); a line with a
 * quote, and only that line, goes through the character-by-character reader.
 */
export class CsvParser implements RecordParser {
  private readonly delimiter: string;
  private readonly delimiterCode: number;
  private header: readonly string[] | undefined;
  /** The `raw` object's key for each column: the header name, `name#2`... for a name seen again. */
  private rawKeys: readonly string[] = [];
  /** A header named `__proto__` cannot be set by assignment without changing the object's prototype. */
  private rawKeysNeedDefine = false;
  private rows = 0;
  /**
   * The start of a line that had no quote and no line end yet, in the pieces it came in; awaits
   * the next piece. Kept apart and joined once, when the line's end arrives: joining at every
   * piece would copy a long line over and over (a 20 MB line took seconds, 200 MB hours).
   */
  private pendingLine: string[] = [];
  private state: ReaderState = AT_LINE_START;
  /** The finished fields of the record the character reader is in. */
  private fields: string[] = [];
  /** The text read so far of the field the character reader is in. */
  private value = '';

  constructor(delimiter: ',' | '\t') {
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** The header, once its record has been read. */
  get headerFields(): readonly string[] | undefined {
    return this.header;
  }

  push(text: string, out: DecodedRecord[]): void {
    if (text.length === 0) return;
    let pos = 0;
    if (this.state !== AT_LINE_START) {
      pos = this.readChars(text, pos, false, out);
      if (pos >= text.length) return;
    }
    if (this.pendingLine.length > 0) {
      // Only set when the previous piece ended inside a line without a quote or a line end, so
      // `pos` is 0 here and the search for those may start after the carried text.
      if (!text.includes('\n') && !text.includes('\r') && !text.includes('"')) {
        this.pendingLine.push(text);
        return;
      }
      const carried = this.pendingLine.join('');
      this.pendingLine = [];
      this.readLines(carried + text, 0, carried.length, out);
      return;
    }
    this.readLines(text, pos, pos, out);
  }

  finish(out: DecodedRecord[]): void {
    if (this.state === AT_LINE_START) {
      // The last line had no line end (a trailing line end leaves nothing pending).
      if (this.pendingLine.length > 0) {
        const line = this.pendingLine.join('');
        this.pendingLine = [];
        this.emit(line.split(this.delimiter), out);
      }
      return;
    }
    if (this.state === IN_QUOTED) {
      throw this.quoteError((where) => `quote left open at end of file (${where})`);
    }
    this.fields.push(this.value);
    this.endRecord(out);
  }

  /**
   * The fast path: whole lines without quotes. `searchFrom` (>= pos) is where line ends and quotes
   * may first occur.
   */
  private readLines(buf: string, start: number, searchFrom: number, out: DecodedRecord[]): void {
    const len = buf.length;
    let pos = start;
    let nextLf = indexOrEnd(buf, '\n', searchFrom);
    let nextCr = indexOrEnd(buf, '\r', searchFrom);
    let nextQuote = indexOrEnd(buf, '"', searchFrom);
    let nextDelimiter = indexOrEnd(buf, this.delimiter, pos);
    while (pos < len) {
      if (nextLf < pos) nextLf = indexOrEnd(buf, '\n', pos);
      if (nextCr < pos) nextCr = indexOrEnd(buf, '\r', pos);
      if (nextQuote < pos) nextQuote = indexOrEnd(buf, '"', pos);
      const lineEnd = nextLf < nextCr ? nextLf : nextCr;
      if (nextQuote < lineEnd) {
        pos = this.readChars(buf, pos, true, out);
        continue;
      }
      if (lineEnd === len) {
        this.pendingLine = [buf.slice(pos)];
        return;
      }
      if (lineEnd > pos) {
        // A quote later in this line is impossible here; an empty line (lineEnd === pos) is skipped.
        const fields: string[] = [];
        let fieldStart = pos;
        for (;;) {
          if (nextDelimiter < fieldStart) nextDelimiter = indexOrEnd(buf, this.delimiter, fieldStart);
          if (nextDelimiter >= lineEnd) break;
          fields.push(buf.slice(fieldStart, nextDelimiter));
          fieldStart = nextDelimiter + 1;
        }
        fields.push(buf.slice(fieldStart, lineEnd));
        this.emit(fields, out);
      }
      pos = this.afterLineEnd(buf, lineEnd);
    }
  }

  /**
   * The character reader, from `pos` in `buf`: reads until the record it is in ends, or to the end
   * of `buf`. Returns where it stopped.
   */
  private readChars(buf: string, start: number, atLineStart: boolean, out: DecodedRecord[]): number {
    const len = buf.length;
    const delimiterCode = this.delimiterCode;
    let pos = start;
    if (atLineStart) this.state = AT_FIELD_START;
    while (pos < len) {
      switch (this.state) {
        case AT_FIELD_START:
          if (buf.charCodeAt(pos) === QUOTE) {
            this.state = IN_QUOTED;
            pos++;
          } else {
            this.state = IN_UNQUOTED;
          }
          break;
        case IN_UNQUOTED: {
          // A quote inside an unquoted field (`ab"c`) is an ordinary character, as most writers
          // and readers treat it; only a quote opening a field starts quoting.
          let end = pos;
          let code = 0;
          while (end < len) {
            code = buf.charCodeAt(end);
            if (code === delimiterCode || code === LF || code === CR) break;
            end++;
          }
          this.value += buf.slice(pos, end);
          if (end === len) return len;
          if (code !== delimiterCode) return this.endRecordAtLineEnd(buf, end, out);
          this.endField();
          pos = end + 1;
          break;
        }
        case IN_QUOTED: {
          const quote = buf.indexOf('"', pos);
          if (quote === -1) {
            this.value += buf.slice(pos);
            return len;
          }
          this.value += buf.slice(pos, quote);
          this.state = AFTER_QUOTE;
          pos = quote + 1;
          break;
        }
        case AFTER_QUOTE: {
          const code = buf.charCodeAt(pos);
          if (code === QUOTE) {
            this.value += '"';
            this.state = IN_QUOTED;
            pos++;
            break;
          }
          if (code === LF || code === CR) return this.endRecordAtLineEnd(buf, pos, out);
          if (code !== delimiterCode)
            throw this.quoteError((where) => `text after a closing quote at ${where}`);
          this.endField();
          pos++;
          break;
        }
        default:
          throw new Error(`CsvParser: unexpected reader state ${this.state}`);
      }
    }
    return len;
  }

  /** Ends the current field at a delimiter. */
  private endField(): void {
    this.fields.push(this.value);
    this.value = '';
    this.state = AT_FIELD_START;
  }

  /** Ends the current field and record at the line end at `pos`; returns where the next line starts. */
  private endRecordAtLineEnd(buf: string, pos: number, out: DecodedRecord[]): number {
    this.fields.push(this.value);
    this.value = '';
    this.endRecord(out);
    return this.afterLineEnd(buf, pos);
  }

  private endRecord(out: DecodedRecord[]): void {
    const fields = this.fields;
    this.fields = [];
    this.state = AT_LINE_START;
    this.emit(fields, out);
  }

  /**
   * Where the next line starts after the line end at `pos`. A CRLF cut between two pieces needs no
   * care: its LF then reads as an empty line, and empty lines are skipped anyway.
   */
  private afterLineEnd(buf: string, pos: number): number {
    return buf.charCodeAt(pos) === CR && buf.charCodeAt(pos + 1) === LF ? pos + 2 : pos + 1;
  }

  private emit(fields: string[], out: DecodedRecord[]): void {
    const header = this.header;
    if (header === undefined) {
      this.header = fields;
      this.rawKeys = csvRawKeys(fields);
      this.rawKeysNeedDefine = this.rawKeys.includes('__proto__');
      return;
    }
    const row = ++this.rows;
    if (fields.length !== header.length) {
      out.push({
        row,
        ok: false,
        raw: fields,
        detail: `${fields.length} field${fields.length === 1 ? '' : 's'}, header has ${header.length}`,
      });
      return;
    }
    out.push(new CsvRecord(row, header, fields, this.rawKeys, this.rawKeysNeedDefine));
  }

  /** `describe` gets where the reader is: `row 2`, or `the header row`. */
  private quoteError(describe: (where: string) => string): FileDecodeError {
    if (this.header === undefined) return new FileDecodeError('csv_quote_error', describe('the header row'));
    const row = this.rows + 1;
    return new FileDecodeError('csv_quote_error', describe(`row ${row}`), { row });
  }
}

/**
 * Keys of a CSV record's `raw` object: the header names, a name seen again as `name#2`,
 * `name#3`... never clashing with another header name. Exported so other readers of the same
 * files (the DuckDB engine) quarantine records under the same keys.
 *
 * @example
 * csvRawKeys(['id', 'start', 'id']); // ['id', 'start', 'id#2']
 */
export function csvRawKeys(header: readonly string[]): string[] {
  const taken = new Set(header);
  const seen = new Set<string>();
  return header.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let n = 2;
    while (taken.has(`${name}#${n}`)) n++;
    const key = `${name}#${n}`;
    taken.add(key);
    return key;
  });
}

/** A CSV record: the file's shared header and this row's values; `raw` is built only if asked. */
class CsvRecord implements FieldRecord {
  readonly ok = true;

  constructor(
    readonly row: number,
    readonly names: readonly string[],
    readonly values: readonly string[],
    private readonly rawKeys: readonly string[],
    private readonly rawKeysNeedDefine: boolean,
  ) {}

  get fields(): [string, unknown][] {
    return pairs(this.names, this.values);
  }

  get raw(): Record<string, string> {
    const raw: Record<string, string> = {};
    for (let i = 0; i < this.values.length; i++) {
      const value = this.values[i] as string;
      const key = this.rawKeys[i] as string;
      // A header named __proto__ must become a plain key, not the object's prototype.
      if (this.rawKeysNeedDefine) {
        Object.defineProperty(raw, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        raw[key] = value;
      }
    }
    return raw;
  }
}

/**
 * The header of a CSV/TSV text as this reader takes it (the first record that is not an empty
 * line, a leading BOM dropped), from the whole text or a prefix holding the header's record;
 * undefined when there is none or a quoting error comes first. For readers that take the header
 * apart from the rows (the Glue launcher compiles it into a job plan).
 *
 * @example
 * csvHeader('\uFEFF\nsession_id,"user ""id"""\n1,2\n', ','); // ['session_id', 'user "id"']
 */
export function csvHeader(text: string, delimiter: ',' | '\t'): string[] | undefined {
  const parser = new CsvParser(delimiter);
  const out: DecodedRecord[] = [];
  try {
    parser.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, out);
    if (parser.headerFields === undefined) parser.finish(out);
  } catch (error) {
    if (error instanceof FileDecodeError) return undefined;
    throw error;
  }
  return parser.headerFields === undefined ? undefined : [...parser.headerFields];
}
