import type { ProcessedRow } from '@streampulse/schema';
import { ByteWriter } from './byte-writer.js';
import { escapeCopyText } from './copy-text.js';
import { checkDuration, checkInstant, nulInText, wholeCents } from './copy-checks.js';

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const DAY_MS = 86_400_000;

/**
 * Writes processed rows as PostgreSQL COPY text, straight into UTF-8 bytes: the one place the
 * format of a row is defined. The text values are escaped (backslash, tab, newline and carriage
 * return are the only characters the format gives meaning to, so `\N` in the data is stored as
 * the two characters, never as NULL), instants are ISO UTC with milliseconds (the same text as
 * `Date#toISOString`, which PostgreSQL reads as the same instant whatever its `TimeZone`), and
 * durations carry two decimals.
 *
 * Bytes rather than strings because this runs for every row of every file: building a line from
 * twenty-odd string pieces, joining the lines and encoding them cost the load about a fifth of
 * its CPU time, where most values are ASCII and can be copied byte by byte as they are checked.
 *
 * @example
 * const writer = new CopyTextWriter();
 * writer.fields(row);
 * writer.tab();
 * writer.integer(0);
 * writer.newline();
 * const bytes = writer.take(); // "S1\tU1\t...\t2025-03-10\t0\n" as UTF-8
 */
export class CopyTextWriter extends ByteWriter {
  // Rows of a file cluster on few days: the date part ('2025-03-10T') of the last day written.
  #day = Number.NaN;
  #dayPrefix = new Uint8Array(11);
  // What the row being written may still need when all its text is ASCII: a value that takes
  // more (escapes, other characters) makes room for itself and for this much after it.
  #rowBudget = 0;

  /**
   * The row's 11 processed columns in table order, tab-separated, without a newline. Throws
   * `WarehouseError` for a value PostgreSQL cannot store (a NUL in text, an instant outside years
   * 1 to 9999, a duration that is not a finite number).
   */
  fields(row: ProcessedRow): void {
    const start = this.written;
    try {
      this.#fields(row);
    } catch (error) {
      // A row PostgreSQL cannot store leaves nothing behind.
      this.written = start;
      throw error;
    }
  }

  #fields(row: ProcessedRow): void {
    const { session_id, user_id, content_id, title, genre, region, device_type, event_date } = row;
    // Room for the whole row when its text is ASCII (two instants, a duration, 10 tabs), so the
    // steps below need not check.
    this.#rowBudget =
      session_id.length +
      user_id.length +
      content_id.length +
      title.length +
      genre.length +
      region.length +
      device_type.length +
      event_date.length +
      96;
    this.reserve(this.#rowBudget);
    // Written out column by column: a loop over the column names would cost a lookup per value.
    this.#text(row, 'session_id', session_id);
    this.#tab();
    this.#text(row, 'user_id', user_id);
    this.#tab();
    this.#text(row, 'content_id', content_id);
    this.#tab();
    this.#text(row, 'title', title);
    this.#tab();
    this.#text(row, 'genre', genre);
    this.#tab();
    this.#text(row, 'region', region);
    this.#tab();
    this.#text(row, 'device_type', device_type);
    this.#tab();
    this.#instant(row, 'start_time', row.start_time);
    this.#tab();
    this.#instant(row, 'end_time', row.end_time);
    this.#tab();
    this.#minutes(row);
    this.#tab();
    this.#text(row, 'event_date', event_date);
  }

  /** A column separator. */
  tab(): void {
    this.reserve(1);
    this.#tab();
  }

  #tab(): void {
    this.bytes[this.written++] = TAB;
  }

  /** A row's end. */
  newline(): void {
    this.reserve(1);
    this.bytes[this.written++] = NEWLINE;
  }

  /** A non-negative safe integer in decimal (a `seq` column). */
  integer(value: number): void {
    this.reserve(16);
    this.#digits(value);
  }

  /** The text written since the last {@link take}; the writer starts over. */
  takeText(): string {
    const text = this.bytes.toString('utf8', 0, this.written);
    this.written = 0;
    return text;
  }

  #text(row: ProcessedRow, column: string, value: string): void {
    const count = value.length;
    const bytes = this.bytes;
    let at = this.written;
    // Almost every value is ASCII with nothing to escape: copied as it is checked.
    for (let i = 0; i < count; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80 || code === BACKSLASH || code <= 0x0d) {
        this.#escapedText(row, column, value);
        return;
      }
      bytes[at++] = code;
    }
    this.written = at;
  }

  /** A value with a character to escape, a control character or any non-ASCII character. */
  #escapedText(row: ProcessedRow, column: string, value: string): void {
    if (value.includes('\0')) throw nulInText(row, column);
    const escaped = escapeCopyText(value);
    // UTF-8 takes at most three bytes per UTF-16 unit (a surrogate pair: four for two).
    this.reserve(escaped.length * 3 + this.#rowBudget);
    this.written += this.bytes.write(escaped, this.written, 'utf8');
  }

  #instant(row: ProcessedRow, column: string, value: number): void {
    checkInstant(row, column, value);
    const day = Math.floor(value / DAY_MS);
    if (day !== this.#day) {
      this.#day = day;
      const prefix = new Date(day * DAY_MS).toISOString();
      for (let i = 0; i < 11; i++) this.#dayPrefix[i] = prefix.charCodeAt(i);
    }
    const bytes = this.bytes;
    const at = this.written;
    const prefix = this.#dayPrefix;
    for (let i = 0; i < 11; i++) bytes[at + i] = prefix[i] as number;
    // Within the day the value fits 32 bits, where division and remainder are integer operations.
    let rest = (value - day * DAY_MS) | 0;
    const milliseconds = rest % 1000;
    rest = (rest / 1000) | 0;
    const seconds = rest % 60;
    rest = (rest / 60) | 0;
    const minutes = rest % 60;
    const hours = (rest / 60) | 0;
    bytes[at + 11] = ZERO + ((hours / 10) | 0);
    bytes[at + 12] = ZERO + (hours % 10);
    bytes[at + 13] = 0x3a; // ':'
    bytes[at + 14] = ZERO + ((minutes / 10) | 0);
    bytes[at + 15] = ZERO + (minutes % 10);
    bytes[at + 16] = 0x3a;
    bytes[at + 17] = ZERO + ((seconds / 10) | 0);
    bytes[at + 18] = ZERO + (seconds % 10);
    bytes[at + 19] = 0x2e; // '.'
    bytes[at + 20] = ZERO + ((milliseconds / 100) | 0);
    bytes[at + 21] = ZERO + (((milliseconds / 10) | 0) % 10);
    bytes[at + 22] = ZERO + (milliseconds % 10);
    bytes[at + 23] = 0x5a; // 'Z'
    this.written = at + 24;
  }

  #minutes(row: ProcessedRow): void {
    const value = row.duration_min;
    checkDuration(row);
    // Whole cents print exactly their two decimals, never 45.509999; any other value, and one
    // too large for these digits, takes toFixed.
    const cents = wholeCents(value);
    if (cents !== undefined && cents >= 0 && cents < 1e12) {
      const whole = Math.floor(cents / 100);
      const fraction = cents - whole * 100;
      this.#digits(whole);
      this.bytes[this.written] = 0x2e;
      this.bytes[this.written + 1] = ZERO + Math.floor(fraction / 10);
      this.bytes[this.written + 2] = ZERO + (fraction % 10);
      this.written += 3;
      return;
    }
    const text = value.toFixed(2);
    this.reserve(text.length + this.#rowBudget);
    this.written += this.bytes.write(text, this.written, 'latin1');
  }

  /** `value`'s decimal digits (a non-negative integer below 2 ** 53); at most 16 bytes. */
  #digits(value: number): void {
    let count = 1;
    for (let rest = Math.floor(value / 10); rest > 0; rest = Math.floor(rest / 10)) count += 1;
    const bytes = this.bytes;
    let rest = value;
    for (let at = this.written + count - 1; at >= this.written; at--) {
      const next = Math.floor(rest / 10);
      bytes[at] = ZERO + (rest - next * 10);
      rest = next;
    }
    this.written += count;
  }
}

// One writer for the string forms below: they return before anyone else can write to it.
const shared = new CopyTextWriter(1024);

/**
 * One COPY text line (with its newline) for a row: the 11 processed columns in table order,
 * then `seq`, the row's arrival order within the file. {@link CopyTextWriter} writes the same
 * bytes without a string per row.
 *
 * @example
 * copyLine(row, 0); // 'S1\tU1\t...\t2025-03-10\t0\n'
 */
export function copyLine(row: ProcessedRow, seq: number): string {
  shared.fields(row);
  shared.tab();
  shared.integer(seq);
  shared.newline();
  return shared.takeText();
}

/**
 * The 11 processed columns of a row in table order as COPY text, tab-separated, without a
 * newline.
 *
 * @example
 * copyFields(row).split('\t').length; // 11
 */
export function copyFields(row: ProcessedRow): string {
  shared.fields(row);
  return shared.takeText();
}
