import type { DecodedRecord, RecordParser } from './decoded-record.js';
import { indexOrEnd } from './index-or-end.js';
import { jsonValueRecord } from './json-record.js';

/**
 * Streaming JSON Lines reader: one JSON value per line (LF, CRLF or CR), empty and white-space
 * lines skipped and not counted. A line that does not parse, or is not an object, is a malformed
 * record, not a failure of the file.
 */
export class JsonLinesParser implements RecordParser {
  private rows = 0;
  /**
   * The start of a line whose end has not arrived yet, in the pieces it came in: joined once when
   * the line ends, as joining at every piece would copy a long line over and over.
   */
  private pendingLine: string[] = [];

  push(text: string, out: DecodedRecord[]): void {
    if (text.length === 0) return;
    if (this.pendingLine.length > 0 && !text.includes('\n') && !text.includes('\r')) {
      this.pendingLine.push(text);
      return;
    }
    const pending = this.pendingLine.join('');
    const carried = pending.length;
    const buf = carried > 0 ? pending + text : text;
    this.pendingLine = [];
    const len = buf.length;
    let pos = 0;
    // A CRLF cut between pieces needs no care: the LF alone then ends an empty line, which is skipped.
    let nextLf = indexOrEnd(buf, '\n', carried);
    let nextCr = indexOrEnd(buf, '\r', carried);
    while (pos < len) {
      if (nextLf < pos) nextLf = indexOrEnd(buf, '\n', pos);
      if (nextCr < pos) nextCr = indexOrEnd(buf, '\r', pos);
      const lineEnd = nextLf < nextCr ? nextLf : nextCr;
      if (lineEnd === len) {
        this.pendingLine = [buf.slice(pos)];
        return;
      }
      if (lineEnd > pos) this.readLine(buf.slice(pos, lineEnd), out);
      pos = lineEnd + 1;
    }
  }

  finish(out: DecodedRecord[]): void {
    const line = this.pendingLine.join('');
    this.pendingLine = [];
    if (line.length > 0) this.readLine(line, out);
  }

  private readLine(line: string, out: DecodedRecord[]): void {
    if (line.trim().length === 0) return;
    const row = ++this.rows;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      out.push({ row, ok: false, raw: line, detail: `not valid JSON (${reason})` });
      return;
    }
    out.push(jsonValueRecord(row, value));
  }
}
