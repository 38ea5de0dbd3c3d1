import { PROCESSED_COLUMNS, type ProcessedRow } from '@streampulse/schema';
import { WarehouseError } from './errors.js';

/**
 * The columns {@link copyLine} writes, in its order (before `seq`): the processed table's, in
 * table order.
 */
export const COPY_COLUMNS: readonly string[] = PROCESSED_COLUMNS.map((column) => column.name);

/**
 * Escapes one value for PostgreSQL's COPY text format: backslash, tab, newline and carriage
 * return are the only characters the format gives meaning to. `\N` in the data becomes `\\N`,
 * a literal string, never NULL.
 */
export function escapeCopyText(value: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const escaped = escapeOf(value.charCodeAt(i));
    if (escaped === undefined) continue;
    out += value.slice(from, i) + escaped;
    from = i + 1;
  }
  return from === 0 ? value : out + value.slice(from);
}

/** The value {@link escapeCopyText} escaped. */
export function unescapeCopyText(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(.)/gs, (_, code: string) =>
    code === 't' ? '\t' : code === 'n' ? '\n' : code === 'r' ? '\r' : code,
  );
}

function escapeOf(code: number): string | undefined {
  switch (code) {
    case 0x5c:
      return '\\\\';
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    default:
      return undefined;
  }
}

/**
 * One COPY text line (with its newline) for a row: the 11 processed columns in table order,
 * then `seq`, the row's arrival order within the file.
 */
export function copyLine(row: ProcessedRow, seq: number): string {
  return copyFields(row) + '\t' + seq + '\n';
}

/**
 * The 11 processed columns of a row in table order as COPY text, tab-separated, without a
 * newline. This runs once per row of every file, so it is written out column by column rather
 * than looped over names.
 */
export function copyFields(row: ProcessedRow): string {
  return (
    text(row, 'session_id', row.session_id) +
    '\t' +
    text(row, 'user_id', row.user_id) +
    '\t' +
    text(row, 'content_id', row.content_id) +
    '\t' +
    text(row, 'title', row.title) +
    '\t' +
    text(row, 'genre', row.genre) +
    '\t' +
    text(row, 'region', row.region) +
    '\t' +
    text(row, 'device_type', row.device_type) +
    '\t' +
    instant(row, 'start_time', row.start_time) +
    '\t' +
    instant(row, 'end_time', row.end_time) +
    '\t' +
    minutes(row) +
    '\t' +
    text(row, 'event_date', row.event_date)
  );
}

function text(row: ProcessedRow, column: string, value: string): string {
  // One pass over the characters; almost every value needs no escaping and is returned as is.
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x5c || code === 0x09 || code === 0x0a || code === 0x0d)
      return escapeCopyText(checkNul(row, column, value));
    if (code === 0) checkNul(row, column, value);
  }
  return value;
}

function checkNul(row: ProcessedRow, column: string, value: string): string {
  if (value.includes('\0')) {
    throw new WarehouseError(
      'unstorable_value',
      `session ${JSON.stringify(row.session_id)}: ${column} holds a NUL character, which PostgreSQL text cannot store`,
    );
  }
  return value;
}

function minutes(row: ProcessedRow): string {
  const value = row.duration_min;
  if (!Number.isFinite(value)) {
    throw new WarehouseError(
      'load_failed',
      `session ${JSON.stringify(row.session_id)}: duration_min is ${value}, not a number of minutes`,
    );
  }
  // The value already carries two decimals (45.51): whole cents print exactly those, never
  // 45.509999, and faster than toFixed, which is kept for any other value.
  const cents = Math.round(value * 100);
  if (cents >= 0 && cents < 1e12 && cents / 100 === value) {
    const fraction = cents % 100;
    return `${(cents - fraction) / 100}.${DIGITS_2[fraction] as string}`;
  }
  return value.toFixed(2);
}

/** '00' to '99' and '000' to '999': a time of day or a fraction in one lookup per part. */
const DIGITS_2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const DIGITS_3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** 'HH:MM:' of each minute of a day, and 'SS.' of each second of a minute. */
const HOURS_MINUTES = Array.from(
  { length: 1440 },
  (_, i) => `${DIGITS_2[Math.floor(i / 60)] as string}:${DIGITS_2[i % 60] as string}:`,
);
const SECONDS = Array.from({ length: 60 }, (_, i) => `${DIGITS_2[i] as string}.`);

const DAY_MS = 86_400_000;
// Rows of a file cluster on few days; the date part of the last day seen is reused.
let cachedDay = Number.NaN;
let cachedPrefix = '';

/**
 * ISO UTC with milliseconds (`2025-03-10T09:46:40.000Z`), which PostgreSQL reads as the same
 * instant whatever its TimeZone. Same text as `Date#toISOString`, without a Date per value.
 */
function instant(row: ProcessedRow, column: string, value: number): string {
  if (!Number.isInteger(value) || value < -62_135_596_800_000 || value > 253_402_300_799_999) {
    throw new WarehouseError(
      'load_failed',
      `session ${JSON.stringify(row.session_id)}: ${column} is ${value}, not epoch milliseconds between years 1 and 9999`,
    );
  }
  const day = Math.floor(value / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const ms = value - day * DAY_MS;
  return (
    cachedPrefix +
    (HOURS_MINUTES[Math.floor(ms / 60_000)] as string) +
    (SECONDS[Math.floor(ms / 1000) % 60] as string) +
    (DIGITS_3[ms % 1000] as string) +
    'Z'
  );
}
