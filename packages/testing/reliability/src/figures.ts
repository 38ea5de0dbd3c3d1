import { appendFileSync } from 'node:fs';

/** What one case measured; every field is printed, none is asserted as a timing. */
export interface Figure {
  peakRssMb?: number | undefined;
  seconds?: number;
  rows?: number;
  note?: string;
}

/**
 * Prints one case's figure as a single line (`[reliability] <case> | ...`), and appends it as a
 * JSON line to the file STREAMPULSE_RELIABILITY_FIGURES names, when set, for docs/reliability.md.
 *
 * @example
 * recordFigure('gzip bomb', { peakRssMb: run.peakRssMb, seconds: run.seconds, rows: 0 });
 */
export function recordFigure(name: string, figure: Figure): void {
  const parts = [
    figure.peakRssMb === undefined ? undefined : `peak RSS ${figure.peakRssMb} MB`,
    figure.seconds === undefined ? undefined : `${figure.seconds.toFixed(1)} s`,
    figure.rows === undefined ? undefined : `${figure.rows} rows`,
    figure.note,
  ].filter((part) => part !== undefined);
  console.log(`[reliability] ${name} | ${parts.join(' | ')}`);
  const file = process.env.STREAMPULSE_RELIABILITY_FIGURES;
  if (file) appendFileSync(file, JSON.stringify({ name, ...figure }) + '\n');
}

/** `small` (the default, for `npm test`) or `large` (STREAMPULSE_RELIABILITY_SIZE=large). */
export type SuiteSize = 'small' | 'large';

/** The size knob: heavy cases take their issue-sized inputs only at `large`. */
export function suiteSize(env: Record<string, string | undefined> = process.env): SuiteSize {
  const size = env.STREAMPULSE_RELIABILITY_SIZE ?? 'small';
  if (size !== 'small' && size !== 'large') {
    throw new Error(`STREAMPULSE_RELIABILITY_SIZE must be small or large, got ${JSON.stringify(size)}`);
  }
  return size;
}

/** `small` at the default size, `large` at the large size. */
export function bySize<T>(small: T, large: T): T {
  return suiteSize() === 'large' ? large : small;
}
