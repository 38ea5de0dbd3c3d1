import { encodeCsvRow } from '@streampulse/formats';
import type { FileLayout } from './layout.js';
import type { PlaybackRow } from './rows.js';
import type { Cell, CellFamily } from './timestamp-text.js';

/**
 * Playback file formats the generator writes (the name's extension).
 *
 * @example
 * await generateLake({ outDir: './lake', formats: ['jsonl.gz', 'tsv'] });
 */
export const PLAYBACK_FORMATS = ['csv', 'csv.gz', 'tsv', 'tsv.gz', 'jsonl', 'jsonl.gz', 'json'] as const;

/**
 * A value of {@link PLAYBACK_FORMATS}.
 *
 * @example
 * const format: PlaybackFormat = 'csv.gz';
 */
export type PlaybackFormat = (typeof PLAYBACK_FORMATS)[number];

/** Writes rows of one file as text: a head, one piece per row, a tail. */
export interface RowEncoder {
  readonly family: CellFamily;
  readonly gzip: boolean;
  head(layout: FileLayout): string;
  row(row: PlaybackRow, layout: FileLayout): string;
  tail(layout: FileLayout): string;
}

const BOM = '\uFEFF';
const text = (cell: Cell): string => (cell === null || cell === undefined ? '' : String(cell));

function delimited(delimiter: ',' | '\t', gzip: boolean): RowEncoder {
  return {
    family: 'text',
    gzip,
    head: (layout) => (layout.bom ? BOM : '') + encodeCsvRow(layout.names, delimiter) + layout.lineEnd,
    row: (row, layout) => {
      const fields =
        row.kind === 'record'
          ? layout.order.map((i) => text(row.cells[i]))
          : row.textFields(layout.names.length);
      return encodeCsvRow(fields, delimiter) + layout.lineEnd;
    },
    tail: () => '',
  };
}

function jsonObject(row: PlaybackRow & { kind: 'record' }, layout: FileLayout): string {
  let out = '{';
  for (let c = 0; c < layout.order.length; c += 1) {
    const value = row.cells[layout.order[c] as number];
    if (value === undefined) continue;
    if (out.length > 1) out += ',';
    out += JSON.stringify(layout.names[c]) + ':' + JSON.stringify(value);
  }
  return out + '}';
}

function jsonLines(gzip: boolean): RowEncoder {
  return {
    family: 'json',
    gzip,
    head: (layout) => (layout.bom ? BOM : ''),
    row: (row, layout) => (row.kind === 'record' ? jsonObject(row, layout) : row.jsonLine) + layout.lineEnd,
    tail: () => '',
  };
}

/** A JSON array, one element a line; commas lead so rows can stream without look-ahead. */
function jsonArray(): RowEncoder {
  let first = true;
  return {
    family: 'json',
    gzip: false,
    head: (layout) => {
      first = true;
      return (layout.bom ? BOM : '') + '[' + layout.lineEnd;
    },
    row: (row, layout) => {
      const element = row.kind === 'record' ? jsonObject(row, layout) : row.jsonElement;
      const piece = (first ? '' : ',') + element + layout.lineEnd;
      first = false;
      return piece;
    },
    tail: (layout) => ']' + layout.lineEnd,
  };
}

/**
 * The encoder for a playback format. JSON formats write real JSON values (numbers, null,
 * absent keys); CSV and TSV write text.
 *
 * @example
 * const encoder = encoderFor('csv.gz');
 * encoder.head(CLEAN_LAYOUT); // 'session_id,user_id,content_id,device_type,start_time,end_time\n'
 */
export function encoderFor(format: PlaybackFormat): RowEncoder {
  switch (format) {
    case 'csv':
    case 'csv.gz':
      return delimited(',', format.endsWith('.gz'));
    case 'tsv':
    case 'tsv.gz':
      return delimited('\t', format.endsWith('.gz'));
    case 'jsonl':
    case 'jsonl.gz':
      return jsonLines(format.endsWith('.gz'));
    case 'json':
      return jsonArray();
  }
}
