import type { Lake } from '@streampulse/lake';
import { quarantineKey } from '@streampulse/jobs';
import type { RejectionReason } from '@streampulse/schema';

// The same quarantine objects as the default engine writes (one per source file, JSON lines of
// source, row, reason and the record as read), so either engine can reload the other's files.

/** One quarantine line. */
export function quarantineLine(
  source: string,
  row: number,
  reason: RejectionReason,
  record: unknown,
): string {
  return JSON.stringify({ source, row, reason, record });
}

/** Writes (or clears) a file's quarantine once its rows are committed. */
export async function writeQuarantine(
  lake: Lake,
  sourceKey: string,
  lines: readonly string[],
): Promise<void> {
  const key = quarantineKey(sourceKey);
  if (lines.length === 0) {
    await lake.delete(key);
    return;
  }
  await lake.write(key, lines.join('\n') + '\n', { contentType: 'application/x-ndjson' });
}

/**
 * Keys of a CSV record's raw object as the reference decoder builds them: the header names, a
 * name seen again as `name#2`, `name#3`... never clashing with another header name.
 */
export function rawKeys(header: readonly string[]): string[] {
  const taken = new Set(header);
  const seen = new Set<string>();
  return header.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let n = 2;
    while (taken.has(`${name}#${n}`)) n++;
    const key = `${name}#${n}`;
    taken.add(key);
    return key;
  });
}

/** A CSV record's raw object (a `__proto__` header stays a plain key). */
export function rawObject(keys: readonly string[], values: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  keys.forEach((key, i) => {
    Object.defineProperty(raw, key, {
      value: values[i],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return raw;
}
