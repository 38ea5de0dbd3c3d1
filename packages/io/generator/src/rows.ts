import { REJECTION_REASONS, type RejectionReason } from '@streampulse/schema';
import { DEVICE_ALIASES } from '@streampulse/transform';
import { MINUTE_MS } from './calendar.js';
import type { Catalog } from './catalog.js';
import { styleDevice } from './names.js';
import { userId, type Population } from './population.js';
import type { Random } from './random.js';
import type { Session } from './sessions.js';
import {
  INVALID_TIMESTAMPS,
  isoUtc,
  TIMESTAMP_WRITERS,
  type Cell,
  type CellFamily,
} from './timestamp-text.js';

/** A row ready for an encoder: cells in {@link PLAYBACK_COLUMNS} order, or a malformed record. */
export type PlaybackRow =
  | { readonly kind: 'record'; readonly cells: readonly Cell[] }
  | {
      readonly kind: 'malformed';
      /** A CSV row with one field too few or too many. */
      readonly textFields: (columns: number) => string[];
      /** A JSON Lines line that is not an object (or not JSON at all). */
      readonly jsonLine: string;
      /** A JSON array element that is not an object. */
      readonly jsonElement: string;
    };

/** Kinds of dirt that still load: the pipeline cleans them up. */
export const CLEANABLE_DIRT = [
  'timestamp_form',
  'device_alias',
  'device_missing',
  'device_other',
  'padded_ids',
  'duplicate',
  'orphan_content',
  'orphan_user',
] as const;

/**
 * Every kind of dirt a row can get: the cleanable ones, then one per rejection reason. Dirty
 * rows take them in turn, so a run's `dirtByKind` names each once it has this many dirty rows.
 *
 * @example
 * DIRT_KINDS.includes('duplicate'); // true
 */
export const DIRT_KINDS = [...CLEANABLE_DIRT, ...REJECTION_REASONS] as const;

/**
 * A kind from {@link DIRT_KINDS}.
 *
 * @example
 * const kind: DirtKind = 'invalid_start_time';
 */
export type DirtKind = (typeof DIRT_KINDS)[number];

const MISSING_TEXT = ['', 'NULL', 'N/A', 'none', '-', 'NaN', 'na', '  '];
const MISSING_JSON: readonly Cell[] = [null, undefined, '', 'N/A', 'null'];
const OTHER_DEVICES = ['VR Headset', 'Car Display', 'smart fridge', 'Set-Top Box 2'];
const CDNS = ['akamai', 'cloudfront', 'fastly', 'edge-in-mum-1'];
const TYPES = Object.keys(DEVICE_ALIASES) as (keyof typeof DEVICE_ALIASES)[];

/** Counts of what a {@link PlaybackRows} has produced. */
export interface RowCounts {
  /** Rows handed out, records and malformed alike. */
  rows: number;
  /** Rows that got some dirt (a duplicate's resend counts once, for the original). */
  dirtyRows: number;
  byKind: Partial<Record<DirtKind, number>>;
}

/**
 * Turns sessions into file rows, dirtying a share `dirtyRate` of them. Dirty rows take the kinds
 * of {@link DIRT_KINDS} in turn, and timestamp forms take {@link TIMESTAMP_WRITERS} in turn, so a
 * run with a few dozen dirty rows already shows each one. A duplicate is re-sent 1 to 200 rows
 * later (maybe in the next file), half the time with a later end; only those pending resends are
 * held, so memory stays bounded.
 *
 * @example
 * const rows = new PlaybackRows(population, catalog, 0.02, random.fork('dirt'));
 * for (const session of sessions) for (const row of rows.rows(session, 'text')) encode(row);
 * for (const row of rows.flush('text')) encode(row);
 */
export class PlaybackRows {
  readonly counts: RowCounts = { rows: 0, dirtyRows: 0, byKind: {} };
  #nextKind = 0;
  #nextForm = 0;
  #pending: { due: number; session: Session }[] = [];

  constructor(
    private readonly population: Population,
    private readonly catalog: Catalog,
    private readonly dirtyRate: number,
    private readonly random: Random,
  ) {}

  /** The rows for one session: usually one, plus any resends that have come due. */
  *rows(session: Session, family: CellFamily): Generator<PlaybackRow> {
    if (this.dirtyRate > 0 && this.random.chance(this.dirtyRate)) {
      const kind = DIRT_KINDS[this.#nextKind % DIRT_KINDS.length] as DirtKind;
      this.#nextKind += 1;
      this.counts.dirtyRows += 1;
      this.counts.byKind[kind] = (this.counts.byKind[kind] ?? 0) + 1;
      yield this.#count(this.#dirty(session, kind, family));
    } else {
      yield this.#count(this.#record(session, family));
    }
    while (this.#pending.length > 0 && (this.#pending[0] as { due: number }).due <= this.counts.rows) {
      const { session: resent } = this.#pending.shift() as { session: Session };
      yield this.#count(this.#record(resent, family));
    }
  }

  /** Resends still pending at the end of the run. */
  *flush(family: CellFamily): Generator<PlaybackRow> {
    for (const { session } of this.#pending.splice(0)) yield this.#count(this.#record(session, family));
  }

  #count(row: PlaybackRow): PlaybackRow {
    this.counts.rows += 1;
    return row;
  }

  #cells(session: Session, start: Cell, end: Cell, device: Cell, family: CellFamily): Cell[] {
    const item = this.catalog.items[session.contentIndex];
    // Ignored columns: derived from the session, so they cost no random draws.
    const bitrate = 400 * (1 + ((session.userIndex * 7 + session.contentIndex) % 30));
    return [
      session.id,
      userId(session.userIndex),
      item?.id,
      device,
      start,
      end,
      family === 'json' ? bitrate : String(bitrate),
      `5.${session.userIndex % 13}.${session.contentIndex % 7}`,
      CDNS[(session.userIndex + session.contentIndex) % CDNS.length],
    ];
  }

  #record(session: Session, family: CellFamily): PlaybackRow {
    return {
      kind: 'record',
      cells: this.#cells(session, isoUtc(session.startMs), isoUtc(session.endMs), session.device, family),
    };
  }

  #missing(family: CellFamily): Cell {
    return family === 'json' ? this.random.pick(MISSING_JSON) : this.random.pick(MISSING_TEXT);
  }

  #dirty(session: Session, kind: DirtKind, family: CellFamily): PlaybackRow {
    const random = this.random;
    const cells = this.#cells(
      session,
      isoUtc(session.startMs),
      isoUtc(session.endMs),
      session.device,
      family,
    );
    switch (kind) {
      case 'timestamp_form': {
        const forms = TIMESTAMP_WRITERS;
        cells[4] = (forms[this.#nextForm % forms.length] as (typeof forms)[number])(session.startMs, family);
        cells[5] = (forms[(this.#nextForm + 1) % forms.length] as (typeof forms)[number])(
          session.endMs,
          family,
        );
        this.#nextForm += 2;
        break;
      }
      case 'device_alias': {
        const type = TYPES.includes(session.device as (typeof TYPES)[number])
          ? (session.device as (typeof TYPES)[number])
          : random.pick(TYPES);
        cells[3] = styleDevice(random.pick(DEVICE_ALIASES[type]), random);
        break;
      }
      case 'device_missing':
        cells[3] = this.#missing(family);
        break;
      case 'device_other':
        cells[3] = random.pick(OTHER_DEVICES);
        break;
      case 'padded_ids':
        cells[0] = ` ${String(cells[0])}  `;
        cells[1] = `\t${String(cells[1])}`;
        break;
      case 'duplicate': {
        const later = random.chance(0.5) ? random.between(1, 20) * MINUTE_MS : 0;
        this.#pending.push({
          due: this.counts.rows + random.between(1, 200),
          session: { ...session, endMs: session.endMs + later },
        });
        this.#pending.sort((a, b) => a.due - b.due);
        break;
      }
      case 'orphan_content':
        cells[2] = `C${String(this.catalog.items.length + 1 + random.int(50)).padStart(5, '0')}`;
        break;
      case 'orphan_user':
        cells[1] = userId(this.population.size + random.int(500));
        break;
      default:
        return this.#rejected(session, kind, cells, family);
    }
    return { kind: 'record', cells };
  }

  #rejected(session: Session, reason: RejectionReason, cells: Cell[], family: CellFamily): PlaybackRow {
    const random = this.random;
    switch (reason) {
      case 'malformed_row': {
        const text = cells.map((c) => (c === null || c === undefined ? '' : String(c)));
        return {
          kind: 'malformed',
          // Ragged rows: a field lost, or a title with an unquoted comma that splits in two.
          textFields: (columns) =>
            random.chance(0.5)
              ? text.slice(0, columns - 1)
              : [...text.slice(0, columns), 'Action', ' Adventure'],
          jsonLine: random.pick([
            JSON.stringify(text.slice(0, 6)),
            `{"session_id": "${session.id}", "user_id": `,
            '"playback heartbeat"',
            '42',
          ]),
          jsonElement: random.pick([JSON.stringify(text.slice(0, 6)), '"playback heartbeat"', '42', 'null']),
        };
      }
      case 'missing_session_id':
        cells[0] = this.#missing(family);
        break;
      case 'missing_user_id':
        cells[1] = this.#missing(family);
        break;
      case 'missing_content_id':
        cells[2] = this.#missing(family);
        break;
      case 'invalid_start_time':
        cells[4] = random.pick(INVALID_TIMESTAMPS);
        break;
      case 'invalid_end_time':
        cells[5] = random.pick(INVALID_TIMESTAMPS);
        break;
      case 'non_positive_duration':
        // A zero-length heartbeat, or start and end swapped.
        if (random.chance(0.5)) cells[5] = cells[4];
        else [cells[4], cells[5]] = [cells[5], cells[4]];
        break;
      case 'duration_too_long':
        cells[5] = isoUtc(session.startMs + random.between(1441, 4000) * MINUTE_MS);
        break;
    }
    return { kind: 'record', cells };
  }
}
