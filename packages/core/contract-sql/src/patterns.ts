import { TIMESTAMP_FORMS } from '@streampulse/transform';
import { SqlPlanError } from './errors.js';

// Everything here is derived from the reference's own data (its RegExp objects and the
// JavaScript engine it runs on), so no dialect holds a copy of a rule.

/**
 * The code points JavaScript's `\s` and `String.prototype.trim` treat as white space, read off
 * the running engine (the reference trims and collapses with exactly these).
 *
 * @example
 * JS_WHITE_SPACE.includes(0xa0); // true (no-break space)
 */
export const JS_WHITE_SPACE: readonly number[] = (() => {
  const found: number[] = [];
  const space = /\s/;
  for (let code = 0; code <= 0xffff; code++) {
    if (space.test(String.fromCharCode(code))) found.push(code);
  }
  return found;
})();

/**
 * A pattern in the portable subset every renderer accepts: no backreferences.
 *
 * @example
 * const { source, equalGroups } = portablePattern(TIMESTAMP_FORMS.dayFirst);
 */
export interface PortablePattern {
  /** The pattern text, anchored as the source was. */
  readonly source: string;
  /** Number of capture groups in `source`. */
  readonly groups: number;
  /**
   * Pairs of groups (1-based, in `source`) that must hold equal text: a backreference of the
   * JavaScript pattern became a copy of its group, checked by an equality in SQL.
   */
  readonly equalGroups: readonly (readonly [number, number])[];
  /** For each group of the original pattern (1-based, index 0 unused), its number in `source`. */
  readonly groupMap: readonly number[];
}

interface GroupSpan {
  readonly start: number;
  readonly end: number;
}

/** Capture groups of a pattern source: where each `(` ... `)` (not `(?:`) starts and ends. */
function captureSpans(source: string): GroupSpan[] {
  const spans: GroupSpan[] = [];
  const open: { start: number; capture: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      i += 1;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === '(') {
      const capture = source[i + 1] !== '?';
      open.push({ start: i, capture });
    } else if (char === ')') {
      const group = open.pop();
      if (group?.capture) spans.push({ start: group.start, end: i + 1 });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * Rewrites a JavaScript pattern into the subset RE2 (DuckDB), POSIX ARE (PostgreSQL), Java (Spark)
 * and Joni (Trino) share: a backreference `\N` becomes a copy of group N, captured, and an
 * equality the SQL checks. Only backreferences to groups without nested groups are supported.
 *
 * @example
 * portablePattern(/^(\d{2})([/-])(\d{2})\2(\d{4})$/).source; // '^(\d{2})([/-])(\d{2})([/-])(\d{4})$'
 */
export function portablePattern(pattern: RegExp): PortablePattern {
  const source = pattern.source;
  if (pattern.flags.replace(/[gy]/g, '') !== '') {
    throw new SqlPlanError(
      'unsupported_pattern',
      `pattern /${source}/${pattern.flags}: flags cannot be rendered`,
    );
  }
  const spans = captureSpans(source);
  const groupText = spans.map((s) => source.slice(s.start, s.end));
  let out = '';
  // Group numbers in the output, in order of their opening parenthesis.
  const opened: ('orig' | 'copy')[] = [];
  const copies: { of: number; at: number }[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i] as string;
    if (!inClass && char === '\\' && /[1-9]/.test(source[i + 1] ?? '')) {
      const ref = Number(source[i + 1]);
      const text = groupText[ref - 1];
      if (text === undefined || captureSpans(text).length !== 1) {
        throw new SqlPlanError(
          'unsupported_pattern',
          `pattern /${source}/: backreference \\${ref} cannot be rendered`,
        );
      }
      copies.push({ of: ref, at: opened.length });
      opened.push('copy');
      out += text;
      i += 1;
      continue;
    }
    if (char === '\\') {
      out += char + (source[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') inClass = true;
    else if (char === '(' && source[i + 1] !== '?') opened.push('orig');
    out += char;
  }
  const groupMap = [0];
  opened.forEach((kind, index) => {
    if (kind === 'orig') groupMap.push(index + 1);
  });
  const equalGroups = copies.map((c) => [groupMap[c.of] as number, c.at + 1] as const);
  return { source: out, groups: opened.length, equalGroups, groupMap };
}

/**
 * What each capture group of a timestamp form holds.
 *
 * @example
 * const part: TimestampPart = 'zone';
 */
export type TimestampPart = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction' | 'zone';

/**
 * The role of each capture group of the reference's calendar forms (`TIMESTAMP_FORMS`), in the
 * original group numbering. The reference reads its groups positionally; this table says the
 * same, and the property tests hold it to `parseTimestamp`.
 *
 * @example
 * TIMESTAMP_GROUP_ROLES.dayFirst.year; // 4
 */
export const TIMESTAMP_GROUP_ROLES: Readonly<
  Record<'iso' | 'slashedYearFirst' | 'dayFirst', Partial<Record<TimestampPart, number>>>
> = {
  iso: { year: 1, month: 2, day: 3, hour: 4, minute: 5, second: 6, fraction: 7, zone: 8 },
  slashedYearFirst: { year: 1, month: 2, day: 3, hour: 4, minute: 5, second: 6 },
  dayFirst: { day: 1, month: 3, year: 4, hour: 5, minute: 6, second: 7 },
};

/**
 * The portable forms of the reference's timestamp patterns, compiled once.
 *
 * @example
 * PORTABLE_TIMESTAMP_FORMS.iso.source === TIMESTAMP_FORMS.iso.source; // true: nothing to rewrite
 */
export const PORTABLE_TIMESTAMP_FORMS = {
  epoch: portablePattern(TIMESTAMP_FORMS.epoch),
  iso: portablePattern(TIMESTAMP_FORMS.iso),
  slashedYearFirst: portablePattern(TIMESTAMP_FORMS.slashedYearFirst),
  dayFirst: portablePattern(TIMESTAMP_FORMS.dayFirst),
} as const;
