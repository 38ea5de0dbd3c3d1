import { pairs, type DecodedRecord, type FieldRecord } from './decoded-record.js';

class JsonRecord implements FieldRecord {
  readonly ok = true;
  readonly names: string[];
  readonly values: unknown[];

  constructor(
    readonly row: number,
    readonly raw: object,
  ) {
    this.names = Object.keys(raw);
    this.values = Object.values(raw);
  }

  get fields(): [string, unknown][] {
    return pairs(this.names, this.values);
  }
}

/**
 * The record for one parsed JSON value: an object is a record (its keys in the order
 * `Object.entries` gives them: integer-like keys first, then the rest as written; a key repeated
 * within one object keeps its last value, as `JSON.parse` does); anything else is malformed.
 */
export function jsonValueRecord(row: number, value: unknown): DecodedRecord {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return new JsonRecord(row, value);
  }
  return { row, ok: false, raw: value, detail: `${describeJsonValue(value)}, not an object` };
}

function describeJsonValue(value: unknown): string {
  if (value === null) return 'JSON null';
  if (Array.isArray(value)) return 'a JSON array';
  return `a JSON ${typeof value}`;
}
