import { FIELD_ALIASES } from '@streampulse/transform';
import { HEADER_STYLES, styleName, type HeaderStyle } from './names.js';
import type { Random } from './random.js';

/** The columns a playback row is built with, in this order; the last three are ignored by the pipeline. */
export const PLAYBACK_COLUMNS = [
  'session_id',
  'user_id',
  'content_id',
  'device_type',
  'start_time',
  'end_time',
  'bitrate_kbps',
  'app_version',
  'cdn',
] as const;

/** How many of {@link PLAYBACK_COLUMNS} the contract reads. */
export const CONTRACT_COLUMNS = 6;

/** Which columns a file has, in which order, under which names, and how its lines end. */
export interface FileLayout {
  /** Header names / JSON keys, in file order. */
  readonly names: readonly string[];
  /** For each file column, its index into the row's cells. */
  readonly order: readonly number[];
  readonly lineEnd: '\n' | '\r\n';
  /** Starts the file with a UTF-8 byte order mark. */
  readonly bom: boolean;
}

/**
 * The layout of clean files: the canonical six columns, LF line ends.
 *
 * @example
 * CLEAN_LAYOUT.names.join(','); // 'session_id,user_id,content_id,device_type,start_time,end_time'
 */
export const CLEAN_LAYOUT: FileLayout = {
  names: PLAYBACK_COLUMNS.slice(0, CONTRACT_COLUMNS),
  order: [0, 1, 2, 3, 4, 5],
  lineEnd: '\n',
  bom: false,
};

/**
 * The layout of a dirty playback file, the `fileIndex`-th of a run: each field under one of its
 * accepted aliases (the index rotates with `fileIndex`, so a few files cover every alias), in a
 * random header style (`Playback ID`, `viewerId`, `START_TS`), columns shuffled, ignored extra
 * columns mixed in, sometimes CRLF line ends and a byte order mark.
 *
 * @example
 * dirtyLayout(3, random).names; // e.g. ['cdn', 'Viewer ID', 'playback-id', ...]
 */
export function dirtyLayout(fileIndex: number, random: Random): FileLayout {
  const styles = Object.keys(HEADER_STYLES) as HeaderStyle[];
  const columns = PLAYBACK_COLUMNS.map((column, i) => {
    if (i >= CONTRACT_COLUMNS) return { name: styleName(column.replaceAll('_', ''), random.pick(styles)), i };
    const aliases = FIELD_ALIASES[column as keyof typeof FIELD_ALIASES];
    const alias = aliases[(fileIndex + i) % aliases.length] as string;
    return { name: styleName(alias, random.pick(styles)), i };
  }).filter((c) => c.i < CONTRACT_COLUMNS || random.chance(0.6));
  const shuffled = random.shuffle(columns);
  return {
    names: shuffled.map((c) => c.name),
    order: shuffled.map((c) => c.i),
    lineEnd: random.chance(0.3) ? '\r\n' : '\n',
    bom: random.chance(0.2),
  };
}
