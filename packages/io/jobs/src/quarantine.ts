import type { Lake } from '@streampulse/lake';
import { LAKE_LAYOUT } from '@streampulse/schema';
import type { Rejection } from '@streampulse/transform';

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
  return JSON.stringify({
    source: rejection.source,
    row: rejection.row,
    reason: rejection.reason,
    record: rejection.raw,
  });
}

/**
 * Writes (or clears) a file's quarantine once its rows are committed, so a failed file leaves
 * no quarantine lines behind.
 *
 * @example
 * await writeQuarantine(lake, 'raw/playback/a.csv', lines);
 */
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
