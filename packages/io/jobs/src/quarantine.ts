import type { Lake } from '@streampulse/lake';
import { LAKE_LAYOUT } from '@streampulse/schema';
import type { Rejection } from '@streampulse/transform';
import { QuarantineSpool } from './quarantine-spool.js';

/**
 * The quarantine object of a playback file: one per source file, so reloading a file replaces
 * its quarantine instead of adding to it.
 *
 * @example
 * quarantineKey('raw/playback/dt=2025-03-15/bad-rows.csv');
 * // 'rejected/playback/dt=2025-03-15/bad-rows.csv.rejected.jsonl'
 */
export function quarantineKey(sourceKey: string): string {
  const relative = sourceKey.startsWith(LAKE_LAYOUT.playback)
    ? sourceKey.slice(LAKE_LAYOUT.playback.length)
    : sourceKey;
  return `${LAKE_LAYOUT.rejectedPlayback}${relative}.rejected.jsonl`;
}

/**
 * One quarantine line: where the row came from, why it was rejected, and the record as read.
 *
 * @example
 * quarantineLine({ source: 'raw/playback/a.csv', row: 3, reason: 'missing_user_id', raw: { session_id: 'S1' } });
 */
export function quarantineLine(rejection: Rejection): string {
  const line = {
    source: rejection.source,
    row: rejection.row,
    reason: rejection.reason,
    record: rejection.raw,
  };
  try {
    return JSON.stringify(line);
  } catch (error) {
    // JSON.stringify recurses, so a record nested some thousands deep (which JSON.parse reads
    // fine) overflows the stack: serialize that one without recursion rather than fail the run.
    if (error instanceof RangeError) return stringifyWithoutRecursion(line);
    throw error;
  }
}

type Frame =
  | { kind: 'array'; items: readonly unknown[]; next: number }
  | { kind: 'object'; entries: [string, unknown][]; next: number };

/** JSON.stringify's output for parsed JSON and CSV records (plain data), at any depth. */
export function stringifyWithoutRecursion(value: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = (item: unknown): void => {
    if (Array.isArray(item)) {
      out.push('[');
      stack.push({ kind: 'array', items: item, next: 0 });
    } else if (item !== null && typeof item === 'object') {
      out.push('{');
      const entries = Object.entries(item).filter(([, v]) => v !== undefined && typeof v !== 'function');
      stack.push({ kind: 'object', entries, next: 0 });
    } else {
      out.push(JSON.stringify(item) ?? 'null');
    }
  };
  open(value);
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    if (frame.kind === 'array') {
      if (frame.next === frame.items.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (frame.next > 0) out.push(',');
      open(frame.items[frame.next++]);
    } else {
      const entry = frame.entries[frame.next];
      if (entry === undefined) {
        out.push('}');
        stack.pop();
        continue;
      }
      out.push(`${frame.next > 0 ? ',' : ''}${JSON.stringify(entry[0])}:`);
      frame.next += 1;
      open(entry[1]);
    }
  }
  return out.join('');
}

/**
 * Writes (or clears) a file's quarantine once its rows are committed, so a failed file leaves
 * no quarantine lines behind. The lines come as a list, or as a {@link QuarantineSpool} whose
 * lines may be on disk (streamed to the lake, never read whole).
 *
 * @example
 * await writeQuarantine(lake, 'raw/playback/a.csv', lines);
 */
export async function writeQuarantine(
  lake: Lake,
  sourceKey: string,
  lines: readonly string[] | QuarantineSpool,
): Promise<void> {
  const key = quarantineKey(sourceKey);
  const count = lines instanceof QuarantineSpool ? lines.lines : lines.length;
  if (count === 0) {
    await lake.delete(key);
    return;
  }
  const body = lines instanceof QuarantineSpool ? lines.body() : lines.join('\n') + '\n';
  await lake.write(key, body, { contentType: 'application/x-ndjson' });
}
