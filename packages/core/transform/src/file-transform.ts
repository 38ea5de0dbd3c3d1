import type { DecodedRecord } from '@streampulse/formats';
import type { ProcessedRow, RejectionReason } from '@streampulse/schema';
import type { ContentInfo, Dimension, UserInfo } from './dimensions.js';
import { FieldMapper } from './fields.js';
import { PlaybackJoin, type OrphanCounts } from './join.js';
import { validatePlayback, type PlaybackRules } from './playback.js';

/** A rejected playback row, as the quarantine stores it. */
export interface Rejection {
  /** Lake key of the file the row came from. */
  readonly source: string;
  /** 1-based position of the record in its file. */
  readonly row: number;
  readonly reason: RejectionReason;
  /** The record as read, before any rule ran. */
  readonly raw: unknown;
}

/** What one playback file contributed, counted as its batches pass through. */
export interface PlaybackFileCounts extends OrphanCounts {
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  rejectedByReason: Partial<Record<RejectionReason, number>>;
}

/**
 * Turns one playback file's decoded batches into processed rows, a batch at a time, so a file
 * of any size passes in bounded memory. Rejected rows go to `onReject`; counts accumulate in
 * `counts` and belong to this file alone, so a file that later fails adds nothing to a run.
 *
 * @example
 * const t = new PlaybackFileTransform('raw/playback/a.csv', rules, content, users, (r) => quarantine.push(r));
 * for await (const batch of decodeFile(bytes, type)) rows.push(...t.batch(batch));
 * t.counts; // { rowsRead, rowsValid, rowsRejected, rejectedByReason, orphanContent, orphanUser }
 */
export class PlaybackFileTransform {
  readonly #mapper = new FieldMapper();
  readonly #join: PlaybackJoin;
  readonly counts: PlaybackFileCounts = {
    rowsRead: 0,
    rowsValid: 0,
    rowsRejected: 0,
    rejectedByReason: {},
    orphanContent: 0,
    orphanUser: 0,
  };

  constructor(
    readonly source: string,
    private readonly rules: PlaybackRules,
    content: Dimension<ContentInfo>,
    users: Dimension<UserInfo>,
    private readonly onReject: (rejection: Rejection) => void,
  ) {
    this.#join = new PlaybackJoin(content, users);
  }

  /** Transforms one decoded batch; returns its valid rows, joined, in file order. */
  batch(records: readonly DecodedRecord[]): ProcessedRow[] {
    const rows: ProcessedRow[] = [];
    const counts = this.counts;
    for (const record of records) {
      counts.rowsRead += 1;
      if (!record.ok) {
        this.#reject(record.row, 'malformed_row', record.raw);
        continue;
      }
      const result = validatePlayback(this.#mapper.map(record.names, record.values), this.rules);
      if (!result.ok) {
        this.#reject(record.row, result.reason, record.raw);
        continue;
      }
      counts.rowsValid += 1;
      rows.push(this.#join.row(result.value));
    }
    counts.orphanContent = this.#join.orphans.orphanContent;
    counts.orphanUser = this.#join.orphans.orphanUser;
    return rows;
  }

  /**
   * The streaming form: transforms decoded batches as they arrive, in bounded memory.
   *
   * @example
   * for await (const rows of t.stream(decodeFile(bytes, type))) await sink.write(rows);
   */
  async *stream(batches: AsyncIterable<readonly DecodedRecord[]>): AsyncIterable<ProcessedRow[]> {
    for await (const records of batches) yield this.batch(records);
  }

  #reject(row: number, reason: RejectionReason, raw: unknown): void {
    this.counts.rowsRejected += 1;
    this.counts.rejectedByReason[reason] = (this.counts.rejectedByReason[reason] ?? 0) + 1;
    this.onReject({ source: this.source, row, reason, raw });
  }
}
