const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A number with thousands separators and a fixed number of decimals (no locale involved, so
 * the page reads the same wherever it is rendered).
 *
 * @example
 * formatNumber(1234567.891, 1); // '1,234,567.9'
 */
export function formatNumber(value: number, decimals = 0): string {
  const [whole = '0', fraction] = Math.abs(value).toFixed(decimals).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value < 0 && Number(whole + (fraction ?? '')) !== 0 ? '-' : '';
  return sign + grouped + (fraction ? `.${fraction}` : '');
}

/**
 * A short axis label: `950`, `1.2k`, `3.4M`.
 *
 * @example
 * compactNumber(12_500); // '12.5k'
 */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  const trim = (text: string) => text.replace(/\.0$/, '');
  if (abs >= 1e6) return `${trim((value / 1e6).toFixed(1))}M`;
  if (abs >= 1e3) return `${trim((value / 1e3).toFixed(1))}k`;
  return Number.isInteger(value) ? String(value) : trim(value.toFixed(1));
}

/**
 * Evenly spaced axis ticks from 0 that cover `max`, at a "nice" step (1, 2, 2.5 or 5 times a
 * power of ten), about `count` of them.
 *
 * @example
 * niceTicks(870); // [0, 200, 400, 600, 800, 1000]
 */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const power = Math.pow(10, Math.floor(Math.log10(rough)));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let i = 0; ticks.length === 0 || (ticks[ticks.length - 1] as number) < max - step * 1e-9; i += 1) {
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}

/**
 * A `YYYY-MM-DD` date as a short axis label.
 *
 * @example
 * shortDate('2025-03-01'); // '1 Mar'
 */
export function shortDate(date: string): string {
  const [, month, day] = date.split('-');
  const name = MONTHS[Number(month) - 1];
  return name === undefined || day === undefined ? date : `${Number(day)} ${name}`;
}
