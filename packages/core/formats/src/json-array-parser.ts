import type { DecodedRecord, RecordParser } from './decoded-record.js';
import { FileDecodeError } from './file-decode-error.js';
import { jsonValueRecord } from './json-record.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Where the reader stands in `[ element , element ]`. */
const BEFORE_OPEN = 0;
const BEFORE_ELEMENT = 1;
const IN_ELEMENT = 2;
const AFTER_CLOSE = 3;
type ArrayPhase = typeof BEFORE_OPEN | typeof BEFORE_ELEMENT | typeof IN_ELEMENT | typeof AFTER_CLOSE;

/**
 * Streaming reader of one JSON array of records. It holds one element at a time, however large
 * the array: it finds where each element ends (tracking strings, escapes and nesting), then
 * `JSON.parse`s just that element. An element that is not an object is a malformed record; an
 * array that is not valid JSON (an element that does not parse, no closing `]`, text after it)
 * fails the file with `broken_json`.
 */
export class JsonArrayParser implements RecordParser {
  private phase: ArrayPhase = BEFORE_OPEN;
  private elements = 0;
  /** Unread text: the current element from its first character, or nothing between elements. */
  private buf = '';
  /** How far into `buf` the current element has been scanned. */
  private scanned = 0;
  private depth = 0;
  private inString = false;
  /**
   * Pieces that arrived inside a string of the current element, after `buf`: they hold no quote,
   * so there is nothing to scan in them, and they are joined once the string's end arrives.
   * Joining at every piece would copy a long value over and over (50 MB took 17 s).
   */
  private held: string[] = [];

  push(text: string, out: DecodedRecord[]): void {
    if (text.length === 0) return;
    if (this.phase === IN_ELEMENT && this.inString && !text.includes('"')) {
      this.held.push(text);
      this.scanned += text.length;
      return;
    }
    const before = this.held.length > 0 ? this.buf + this.held.join('') : this.buf;
    this.held = [];
    const buf = before.length > 0 ? before + text : text;
    const len = buf.length;
    let elementStart = 0;
    let pos = this.scanned;
    let depth = this.depth;
    let inString = this.inString;
    for (; pos < len; pos++) {
      const code = buf.charCodeAt(pos);
      if (this.phase === IN_ELEMENT) {
        if (inString) {
          const end = closingQuote(buf, pos);
          if (end === -1) break; // the string goes on in the next piece
          pos = end;
          inString = false;
        } else if (code === QUOTE) {
          inString = true;
        } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
          depth++;
        } else if (depth > 0) {
          if (code === CLOSE_BRACE || code === CLOSE_BRACKET) depth--;
        } else if (code === COMMA || code === CLOSE_BRACKET) {
          out.push(this.parseElement(buf.slice(elementStart, pos)));
          this.phase = code === COMMA ? BEFORE_ELEMENT : AFTER_CLOSE;
        } else if (code === CLOSE_BRACE) {
          throw this.broken(`element ${this.elements + 1} has a } without its {`, this.elements + 1);
        }
        continue;
      }
      if (isJsonWhiteSpace(code)) continue;
      if (this.phase === BEFORE_ELEMENT) {
        if (code === CLOSE_BRACKET && this.elements === 0) {
          this.phase = AFTER_CLOSE;
        } else if (code === CLOSE_BRACKET || code === COMMA) {
          throw this.broken(`element ${this.elements + 1} is missing (a stray comma)`, this.elements + 1);
        } else {
          this.phase = IN_ELEMENT;
          elementStart = pos;
          depth = 0;
          inString = false;
          pos--; // read this character again as part of the element
        }
      } else if (this.phase === BEFORE_OPEN && code === OPEN_BRACKET) {
        this.phase = BEFORE_ELEMENT;
      } else if (this.phase === AFTER_CLOSE) {
        throw this.broken(`text after the closing ] (after element ${this.elements})`);
      } else {
        throw this.broken('the file does not start with [');
      }
    }
    if (this.phase === IN_ELEMENT) {
      this.buf = buf.slice(elementStart);
      this.scanned = len - elementStart;
    } else {
      this.buf = '';
      this.scanned = 0;
    }
    this.depth = depth;
    this.inString = inString;
  }

  finish(): void {
    this.held = [];
    if (this.phase === AFTER_CLOSE) return;
    if (this.phase === IN_ELEMENT) {
      const row = this.elements + 1;
      throw this.broken(`the array is not closed (the file ends inside element ${row})`, row);
    }
    throw this.broken(`the array is not closed (the file ends after element ${this.elements})`);
  }

  private parseElement(text: string): DecodedRecord {
    const row = ++this.elements;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw this.broken(`element ${row} is not valid JSON (${reason})`, row, error);
    }
    return jsonValueRecord(row, value);
  }

  private broken(problem: string, row?: number, cause?: unknown): FileDecodeError {
    return new FileDecodeError('broken_json', `broken JSON array: ${problem}`, { row, cause });
  }
}

/**
 * The index of the quote closing a JSON string, searching from `from` (inside the string), or -1
 * when it is not in `buf` yet. A quote preceded by an odd run of backslashes is escaped; the run
 * is counted back in `buf`, which holds the whole element, so it may span earlier pieces.
 */
function closingQuote(buf: string, from: number): number {
  for (let search = from; ;) {
    const quote = buf.indexOf('"', search);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (buf.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    search = quote + 1;
  }
}

/** JSON's own white space (space, tab, LF, CR): the only characters allowed around array syntax. */
function isJsonWhiteSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}
