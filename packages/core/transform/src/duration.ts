/**
 * A session's duration in hundredths of a minute, rounded half-up on whole milliseconds:
 * `floor((ms + 300) / 600)`. Integer arithmetic, so 0.300 s is 1 and 0.299 s is 0.
 *
 * @example
 * durationHundredths(0, 300); // 1  (0.01 min)
 * durationHundredths(0, 299); // 0
 */
export function durationHundredths(startMillis: number, endMillis: number): number {
  return Math.floor((endMillis - startMillis + 300) / 600);
}

/**
 * Hundredths as exact two-decimal text, never through floating point.
 *
 * @example
 * formatHundredths(4551); // '45.51'
 * formatHundredths(7);    // '0.07'
 */
export function formatHundredths(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  const cents = abs % 100;
  return `${sign}${Math.floor(abs / 100)}.${cents < 10 ? '0' : ''}${cents}`;
}

/** Hundredths as a number of minutes (the nearest double to the exact decimal). */
export function hundredthsToMinutes(hundredths: number): number {
  return hundredths / 100;
}

/** The hundredths a two-decimal number of minutes stands for. */
export function minutesToHundredths(minutes: number): number {
  return Math.round(minutes * 100);
}

/**
 * `numerator / denominator` rounded half-up to an integer, exactly, for non-negative integers.
 *
 * @example
 * divideHalfUp(5, 2); // 3
 */
export function divideHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}
