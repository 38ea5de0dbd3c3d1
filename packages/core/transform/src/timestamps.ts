import { isValidDate, MS_PER_HOUR, MS_PER_MINUTE, wallClockMillis } from './calendar.js';
import type { TimeZone } from './time-zone.js';

/**
 * The timestamp forms the contract accepts, as data: each pattern matches the whole trimmed
 * text. Other engines (SQL renderings) are generated from this table.
 */
export const TIMESTAMP_FORMS = {
  /** Epoch seconds (9-11 integer digits) or milliseconds (12-14), optional decimal fraction. */
  epoch: /^(\d+)(?:\.(\d+))?$/,
  /** ISO 8601 / RFC 3339 with `T` or one space, optional seconds and fraction, optional zone. */
  iso: /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/,
  /** `YYYY/MM/DD HH:mm[:ss]`, local time. */
  slashedYearFirst: /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/,
  /** `DD/MM/YYYY HH:mm[:ss]` or `DD-MM-YYYY HH:mm[:ss]`, local time. */
  dayFirst: /^(\d{2})([/-])(\d{2})\2(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?$/,
} as const;

/** Epoch integer digit counts: seconds, then milliseconds. */
export const EPOCH_SECONDS_DIGITS = { min: 9, max: 11 } as const;
export const EPOCH_MILLIS_DIGITS = { min: 12, max: 14 } as const;

/** Instants outside [2000-01-01T00:00:00Z, 2100-01-01T00:00:00Z) are invalid. */
export const VALID_INSTANT_RANGE = { fromMillis: 946_684_800_000, toMillis: 4_102_444_800_000 } as const;

/** Zones a timestamp is read in: the source zone for times written without an offset. */
export interface TimestampContext {
  readonly sourceZone: TimeZone;
}

function inRange(millis: number): number | undefined {
  return millis >= VALID_INSTANT_RANGE.fromMillis && millis < VALID_INSTANT_RANGE.toMillis
    ? millis
    : undefined;
}

/** Milliseconds from a decimal fraction's digits, cut (not rounded) after three. */
function fractionMillis(digits: string | undefined): number {
  if (!digits) return 0;
  return Number((digits + '00').slice(0, 3));
}

function parseEpoch(integer: string, fraction: string | undefined): number | undefined {
  const digits = integer.length;
  if (digits >= EPOCH_SECONDS_DIGITS.min && digits <= EPOCH_SECONDS_DIGITS.max) {
    return Number(integer) * 1000 + fractionMillis(fraction);
  }
  if (digits >= EPOCH_MILLIS_DIGITS.min && digits <= EPOCH_MILLIS_DIGITS.max) return Number(integer);
  return undefined;
}

function validClock(hour: number, minute: number, second: number): boolean {
  return hour <= 23 && minute <= 59 && second <= 59;
}

/** Offset in milliseconds of `Z`, `±HH:mm`, `±HHmm` or `±HH`; undefined when out of range. */
function parseOffset(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = zone.length > 3 ? Number(zone.slice(-2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * MS_PER_HOUR + minutes * MS_PER_MINUTE);
}

function localInstant(
  context: TimestampContext,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
): number | undefined {
  if (!isValidDate(year, month, day) || !validClock(hour, minute, second)) return undefined;
  return context.sourceZone.instantOf(wallClockMillis(year, month, day, hour, minute, second, millis));
}

/** A local time a pattern captured (seconds optional), as an instant in the valid range. */
function matchedLocal(
  context: TimestampContext,
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
): number | undefined {
  const instant = localInstant(
    context,
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    second === undefined ? 0 : Number(second),
    0,
  );
  return instant === undefined ? undefined : inRange(instant);
}

/** The digit at `index`, or -1. */
function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

/** Two digits at `index` as a number, or -1. */
function twoDigits(text: string, index: number): number {
  const tens = digitAt(text, index);
  const ones = digitAt(text, index + 1);
  return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
}

/**
 * The ISO 8601 form, read character by character: it is the most common form in real files and
 * a regular expression with captures costs several times more. Accepts exactly what
 * `TIMESTAMP_FORMS.iso` matches (a test holds the two together).
 */
function parseIso(text: string, context: TimestampContext): number | undefined {
  const length = text.length;
  if (length < 16) return undefined;
  const y1 = twoDigits(text, 0);
  const y2 = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const separator = text.charCodeAt(10);
  if (
    y1 < 0 ||
    y2 < 0 ||
    month < 0 ||
    day < 0 ||
    hour < 0 ||
    minute < 0 ||
    text.charCodeAt(7) !== 45 /* - */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    (separator !== 84 /* T */ && separator !== 32) /* space */
  ) {
    return undefined;
  }
  let position = 16;
  let second = 0;
  let millis = 0;
  if (text.charCodeAt(position) === 58 /* : */) {
    second = twoDigits(text, position + 1);
    if (second < 0) return undefined;
    position += 3;
    if (text.charCodeAt(position) === 46 /* . */) {
      const fractionStart = position + 1;
      position = fractionStart;
      while (digitAt(text, position) >= 0) position += 1;
      if (position === fractionStart) return undefined;
      millis = fractionMillis(text.slice(fractionStart, Math.min(position, fractionStart + 3)));
    }
  }
  const year = y1 * 100 + y2;
  if (position === length) {
    return inRange(localInstant(context, year, month, day, hour, minute, second, millis) ?? NaN);
  }
  const zone = text.slice(position);
  const sign = zone.charCodeAt(0);
  const isOffset =
    (sign === 43 /* + */ || sign === 45) /* - */ &&
    twoDigits(zone, 1) >= 0 &&
    (zone.length === 3 ||
      (zone.length === 5 && twoDigits(zone, 3) >= 0) ||
      (zone.length === 6 && zone.charCodeAt(3) === 58 && twoDigits(zone, 4) >= 0));
  if (!isOffset && zone !== 'Z' && zone !== 'z') return undefined;
  if (!isValidDate(year, month, day) || !validClock(hour, minute, second)) return undefined;
  const offset = parseOffset(zone);
  if (offset === undefined) return undefined;
  return inRange(wallClockMillis(year, month, day, hour, minute, second, millis) - offset);
}

/**
 * Parses a `start_time` / `end_time` value into epoch milliseconds (UTC), or undefined when it
 * is missing or invalid. Accepts the contract's four forms only; a JSON number is read as its
 * shortest decimal text. Times without a zone are local to the source zone.
 *
 * @example
 * parseTimestamp('2025-03-10T10:00:00+05:30', { sourceZone: timeZone('UTC') }); // 1741581000000
 * parseTimestamp('1741600000.9999', ctx); // 1741600000999
 * parseTimestamp('2025-03-10', ctx);      // undefined (a date alone)
 */
export function parseTimestamp(value: unknown, context: TimestampContext): number | undefined {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else return undefined;
  if (text.length < 9) return undefined;

  const first = text.charCodeAt(4);
  let match: RegExpExecArray | null;
  if (first === 45 /* - */) return parseIso(text, context);
  if (first === 47 /* / */) {
    match = TIMESTAMP_FORMS.slashedYearFirst.exec(text);
    if (!match) return undefined;
    const [, y, mo, d, h, mi, s] = match;
    return matchedLocal(context, y, mo, d, h, mi, s);
  }
  match = TIMESTAMP_FORMS.dayFirst.exec(text);
  if (match) {
    const [, d, , mo, y, h, mi, s] = match;
    return matchedLocal(context, y, mo, d, h, mi, s);
  }
  match = TIMESTAMP_FORMS.epoch.exec(text);
  if (match) {
    const millis = parseEpoch(match[1] ?? '', match[2]);
    return millis === undefined ? undefined : inRange(millis);
  }
  return undefined;
}
