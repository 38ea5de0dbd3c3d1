import { LakeError } from './errors.js';

/**
 * Names of in-flight local writes start with this. The leading '.' already hides them from callers that
 * skip dot segments; the lake itself never lists them and refuses keys that would look like one.
 */
export const TEMP_PREFIX = '.lake-tmp.';

function badSegment(segments: string[]): string | undefined {
  for (const segment of segments) {
    if (segment === '') return 'an empty path segment';
    if (segment === '.' || segment === '..') return `a '${segment}' segment`;
    if (segment.includes('\0')) return 'a NUL character';
    if (segment.startsWith(TEMP_PREFIX)) return `a segment starting with the reserved '${TEMP_PREFIX}'`;
  }
  return undefined;
}

/**
 * Checks that `key` names one object: relative, '/'-separated, with no empty, `.` or `..` segment,
 * so that it maps onto the same file under every root and never escapes it.
 */
export function checkKey(key: string, root: string): string {
  const problem =
    key === '' ? 'it is empty' : key.startsWith('/') ? 'it starts with /' : badSegment(key.split('/'));
  if (problem !== undefined) {
    throw new LakeError('invalid_key', `invalid key ${JSON.stringify(key)} in lake ${root}: ${problem}`, {
      key,
    });
  }
  return key;
}

/** A prefix names a folder: returns it without a trailing '/', or '' for the whole lake. */
export function normalizePrefix(prefix: string, root: string): string {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (trimmed === '') return '';
  const problem = trimmed.startsWith('/') ? 'it starts with /' : badSegment(trimmed.split('/'));
  if (problem !== undefined) {
    throw new LakeError(
      'invalid_key',
      `invalid prefix ${JSON.stringify(prefix)} in lake ${root}: ${problem}`,
      {
        key: prefix,
      },
    );
  }
  return trimmed;
}

/** Ascending UTF-16 code-unit order, the order `list` promises (S3 itself returns UTF-8 byte order). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Refuses a byte range that is no range (a negative or fractional start, an end before the start)
 * with `LakeError` code `invalid_range`, naming the key.
 *
 * @example
 * checkRange({ start: 0, end: 1023 }, 'raw/a.csv', lake.root);
 */
export function checkRange(
  range: { start: number; end?: number } | undefined,
  key: string,
  root: string,
): void {
  if (range === undefined) return;
  const { start, end } = range;
  const whole = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
  if (!whole(start) || (end !== undefined && (!whole(end) || end < start))) {
    throw new LakeError(
      'invalid_range',
      `cannot read key ${key} in lake ${root}: bytes ${start}-${end ?? ''} is not a range (whole numbers, start <= end)`,
      { key },
    );
  }
}
