/**
 * The record formats the lake accepts (`.ndjson` files are `jsonl`).
 *
 * @example
 * const format: FileFormat = 'tsv';
 */
export type FileFormat = 'csv' | 'tsv' | 'jsonl' | 'json';

/**
 * How to decode a file: its format and whether it is gzip-compressed.
 *
 * @example
 * const partGz: FileType = { format: 'csv', gzip: true }; // part-0002.csv.gz
 */
export interface FileType {
  readonly format: FileFormat;
  readonly gzip: boolean;
}

/**
 * How a lake key under a raw prefix is treated.
 *
 * @example
 * const found = classifyKey(key, 'raw/playback/');
 * if (found.kind === 'data') await load(key, found.type);
 * else if (found.kind === 'unsupported') report.skipped.push(key);
 */
export type KeyClass =
  | { readonly kind: 'data'; readonly type: FileType }
  /** The file, or a folder between the prefix and the file, starts with `_` or `.`: skipped silently. */
  | { readonly kind: 'ignored' }
  /** Any other name: skipped and reported, never an error. */
  | { readonly kind: 'unsupported' };

const formatsByExtension: ReadonlyArray<readonly [extension: string, format: FileFormat]> = [
  ['.csv', 'csv'],
  ['.tsv', 'tsv'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.json', 'json'],
];

/**
 * Classifies a key found under a raw prefix by its name (extensions compared case-insensitively:
 * `.csv`, `.tsv`, `.jsonl`, `.ndjson`, `.json`, each optionally followed by `.gz`).
 *
 * A key ending in `/` (an S3 "folder" marker) is not a file and is ignored. A key that is not under
 * `prefix` at all is a lister's mistake; it is reported as unsupported rather than read.
 *
 * @example
 * classifyKey('raw/playback/dt=2025-03-11/part-0002.csv.gz', 'raw/playback/');
 * // { kind: 'data', type: { format: 'csv', gzip: true } }
 * classifyKey('raw/playback/_temporary/0/part.csv', 'raw/playback'); // { kind: 'ignored' }
 * classifyKey('raw/playback/dt=2025-03-16/notes.txt', 'raw/playback/'); // { kind: 'unsupported' }
 */
export function classifyKey(key: string, prefix: string): KeyClass {
  const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  if (!key.startsWith(folder)) return { kind: 'unsupported' };
  const segments = key.slice(folder.length).split('/');
  const name = segments[segments.length - 1] ?? '';
  if (name === '') return { kind: 'ignored' };
  if (segments.some((segment) => segment.startsWith('_') || segment.startsWith('.')))
    return { kind: 'ignored' };

  let lower = name.toLowerCase();
  const gzip = lower.endsWith('.gz');
  if (gzip) lower = lower.slice(0, -'.gz'.length);
  for (const [extension, format] of formatsByExtension) {
    if (lower.endsWith(extension)) return { kind: 'data', type: { format, gzip } };
  }
  return { kind: 'unsupported' };
}

/**
 * Orders keys as whole strings, UTF-16 code unit by code unit: the contract's "key order"
 * (`raw/x/2025-03-01.csv` before `raw/x/2025-03-01/a.csv`, since `.` < `/`). Unlike
 * `localeCompare`, it does not depend on the runtime's locale.
 *
 * @example
 * keys.sort(compareKeys);
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
