import { HOUR_MS, IST_OFFSET_MS, MINUTE_MS } from './calendar.js';

/** A value as a file holds it: text, a JSON number, JSON null, or absent (no key / empty cell). */
export type Cell = string | number | null | undefined;

/** Whether a file writes text only (CSV/TSV) or JSON values. */
export type CellFamily = 'text' | 'json';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The wall clock of an instant shifted by `offsetMs`, as its parts. */
function wall(ms: number, offsetMs: number) {
  const d = new Date(ms + offsetMs);
  return {
    y: String(d.getUTCFullYear()),
    mo: pad(d.getUTCMonth() + 1),
    d: pad(d.getUTCDate()),
    h: pad(d.getUTCHours()),
    mi: pad(d.getUTCMinutes()),
    s: pad(d.getUTCSeconds()),
    ms: pad(d.getUTCMilliseconds(), 3),
  };
}

/**
 * The canonical form clean files use: ISO 8601 in UTC with seconds.
 *
 * @example
 * isoUtc(Date.parse('2025-03-10T10:00:00Z')); // '2025-03-10T10:00:00Z'
 */
export function isoUtc(ms: number): string {
  const w = wall(ms, 0);
  return `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}Z`;
}

/**
 * Every way the contract lets a producer write an instant (section 4): epoch seconds and
 * milliseconds with and without fractions (also as JSON numbers), ISO 8601 with `Z`, `z`,
 * `±HH:mm`, `±HHmm`, `±HH`, without a zone, with a space, without seconds, with long fractions;
 * `YYYY/MM/DD` and day-first forms. Times without a zone are written in UTC, the contract's
 * default source zone. Each one reads back as the same instant, give or take the sub-minute
 * part that a form without seconds drops.
 *
 * @example
 * TIMESTAMP_WRITERS[0](Date.parse('2025-03-10T10:00:00Z'), 'text'); // '1741600800'
 */
export const TIMESTAMP_WRITERS: readonly ((ms: number, family: CellFamily) => Cell)[] = [
  (ms) => String(Math.floor(ms / 1000)),
  (ms) => `${Math.floor(ms / 1000)}.${pad(ms % 1000, 3)}250`,
  (ms) => String(ms),
  (ms) => `${ms}.75`,
  (ms, family) => (family === 'json' ? ms / 1000 + 0.5 : `${Math.floor(ms / 1000)}.5`),
  (ms, family) => (family === 'json' ? ms : String(ms)),
  (ms) => {
    const w = wall(ms, 0);
    return `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}.${w.ms}Z`;
  },
  (ms) => {
    const w = wall(ms, 0);
    return `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}:${w.s}z`;
  },
  (ms) => {
    const w = wall(ms, IST_OFFSET_MS);
    return `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}+05:30`;
  },
  (ms) => {
    const w = wall(ms, IST_OFFSET_MS);
    return `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}:${w.s}.123456+0530`;
  },
  (ms) => {
    const w = wall(ms, -4 * HOUR_MS);
    return `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}-04`;
  },
  (ms) => {
    const w = wall(ms, -(3 * HOUR_MS + 30 * MINUTE_MS));
    return `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}-03:30`;
  },
  (ms) => {
    const w = wall(ms, 0);
    return `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}`;
  },
  (ms) => {
    const w = wall(ms, 0);
    return `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}`;
  },
  (ms) => {
    const w = wall(ms, 0);
    return `${w.y}/${w.mo}/${w.d} ${w.h}:${w.mi}:${w.s}`;
  },
  (ms) => {
    const w = wall(ms, 0);
    return `${w.y}/${w.mo}/${w.d} ${w.h}:${w.mi}`;
  },
  (ms) => {
    const w = wall(ms, 0);
    return `${w.d}/${w.mo}/${w.y} ${w.h}:${w.mi}:${w.s}`;
  },
  (ms) => {
    const w = wall(ms, 0);
    return `  ${w.d}-${w.mo}-${w.y} ${w.h}:${w.mi} `;
  },
];

/**
 * Texts that are not a valid instant under the contract, each for a different reason: a date
 * alone, a lower-case `t`, a comma fraction, impossible calendar days and clock times, too few
 * epoch digits, instants before 2000, plain words and missing-value tokens.
 */
export const INVALID_TIMESTAMPS: readonly Cell[] = [
  '2025-03-10',
  '2025-03-10t10:00:00Z',
  '2025-03-10T10:00:00,5Z',
  '2025-02-29 10:00:00',
  '31/04/2025 10:00',
  '2025-03-10T24:00:00Z',
  '2025-03-10T10:00:00+24:00',
  '17416008',
  '1999-12-31T23:59:59Z',
  'yesterday evening',
  'N/A',
  '',
  null,
  undefined,
];
