import type { ProcessedRow } from '@streampulse/schema';
import { WarehouseError } from './errors.js';

// What PostgreSQL cannot store, and how a refusal reads: shared by the text and binary COPY
// writers so both refuse the same rows with the same words.

/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the instants a COPY writer takes. */
export const FIRST_INSTANT = -62_135_596_800_000;
export const LAST_INSTANT = 253_402_300_799_999;

/** Throws unless `value` is whole epoch milliseconds within years 1 to 9999. */
export function checkInstant(row: ProcessedRow, column: string, value: number): void {
  if (!Number.isInteger(value) || value < FIRST_INSTANT || value > LAST_INSTANT) {
    throw new WarehouseError(
      'load_failed',
      `session ${JSON.stringify(row.session_id)}: ${column} is ${value}, not epoch milliseconds between years 1 and 9999`,
    );
  }
}

/** Throws unless the row's duration is a finite number. */
export function checkDuration(row: ProcessedRow): void {
  if (!Number.isFinite(row.duration_min)) {
    throw new WarehouseError(
      'load_failed',
      `session ${JSON.stringify(row.session_id)}: duration_min is ${row.duration_min}, not a number of minutes`,
    );
  }
}

/** The refusal of a text value holding NUL, which PostgreSQL text cannot store. */
export function nulInText(row: ProcessedRow, column: string): WarehouseError {
  return new WarehouseError(
    'unstorable_value',
    `session ${JSON.stringify(row.session_id)}: ${column} holds a NUL character, which PostgreSQL text cannot store`,
  );
}

/**
 * The value in hundredths when it is a whole number of them, as a duration already is (45.51 is
 * 4551, never 4550.9999); otherwise undefined.
 */
export function wholeCents(value: number): number | undefined {
  const cents = Math.round(value * 100);
  return cents / 100 === value ? cents : undefined;
}

/**
 * The duration in whole hundredths of a minute, as its two-decimal text says: {@link wholeCents},
 * or any other value rounded as `toFixed(2)` rounds it.
 */
export function durationCents(value: number): number {
  return wholeCents(value) ?? Math.round(Number(value.toFixed(2)) * 100);
}
