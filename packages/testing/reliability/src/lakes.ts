import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The header every playback file written here uses. */
export const PLAYBACK_HEADER = 'session_id,user_id,content_id,device_type,start_time,end_time';

/**
 * `count` valid playback CSV rows (no header), session ids `<prefix><n>`, each ten minutes long
 * and starting one second after the previous, so every session id is distinct and no two rows
 * tie on end_time.
 */
export function playbackRows(prefix: string, count: number, first = 0): string {
  const base = Date.parse('2025-03-10T00:00:00Z');
  let text = '';
  for (let i = first; i < first + count; i += 1) {
    const start = base + i * 1000;
    text += `${prefix}${i},U${i % 7},C${i % 5},Roku,${new Date(start).toISOString()},${new Date(start + 600_000).toISOString()}\n`;
  }
  return text;
}

/** A playback CSV file: the header, then {@link playbackRows}. */
export function playbackCsv(prefix: string, count: number, first = 0): string {
  return `${PLAYBACK_HEADER}\n${playbackRows(prefix, count, first)}`;
}

/** Dimension files matching {@link playbackRows}: content C0-C4 and users U0-U6. */
export const DIMENSIONS: Record<string, string> = {
  'raw/content_metadata/catalog.csv':
    'content_id,title,genre\n' + [0, 1, 2, 3, 4].map((i) => `C${i},Title ${i},drama`).join('\n') + '\n',
  'raw/user_profiles/users.csv':
    'user_id,region\n' + [0, 1, 2, 3, 4, 5, 6].map((i) => `U${i},IN`).join('\n') + '\n',
};

/**
 * A new lake folder holding `files` (key -> content) and, unless `dimensions` is false, the
 * {@link DIMENSIONS}.
 */
export function makeLake(files: Record<string, string | Uint8Array>, dimensions = true): string {
  const root = mkdtempSync(join(tmpdir(), 'streampulse-reliability-lake-'));
  writeLakeFiles(root, { ...(dimensions ? DIMENSIONS : {}), ...files });
  return root;
}

/** Writes `files` (key -> content) under the lake folder `root`. */
export function writeLakeFiles(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [key, body] of Object.entries(files)) {
    const path = join(root, ...key.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
  }
}
