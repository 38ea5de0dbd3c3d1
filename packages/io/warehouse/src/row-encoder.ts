import type { ProcessedRow } from '@streampulse/schema';
import { CopyBinaryWriter } from './copy-binary.js';
import { DayCounts } from './day-counts.js';
import { SeenKeys } from './seen-keys.js';

/**
 * A batch of one file's rows, encoded for the direct load: the binary COPY tuples of rows that may
 * go straight in (held outside the JavaScript heap until their chunk commits), and the few rows
 * that must wait for the merge.
 *
 * @example
 * const batch: EncodedBatch = new RowEncoder().encode(rows);
 * batch.direct; // binary COPY tuples of the rows whose session is new to the file
 */
export interface EncodedBatch {
  /** Binary COPY tuples (`CopyBinaryWriter#tuple`, no header) of rows that may go straight in. */
  direct: Uint8Array;
  /** The order in the file of each `direct` row, line by line. */
  seqs: Float64Array;
  /** The `event_date` of the `direct` rows, as days and how many rows of each. */
  days: string[];
  dayCounts: number[];
  /** Rows of a session the file has already shown (or one whose id shares its hash). */
  repeats: RepeatRow[];
}

/**
 * A row of a session the file has already shown: the merge at commit decides between it and the
 * others.
 *
 * @example
 * const writer = new CopyBinaryWriter();
 * writer.tuple(row);
 * const repeat: RepeatRow = { key: row.session_id, tuple: writer.take(), seq: 7 };
 */
export interface RepeatRow {
  key: string;
  /** The processed columns as one binary COPY tuple (`CopyBinaryWriter#tuple`). */
  tuple: Uint8Array;
  seq: number;
}

/**
 * Encodes one file's rows batch by batch, in file order: each row becomes a binary COPY tuple, and rows of a
 * session seen earlier in the file are set apart (`repeats`). Holds a few bytes per session of the
 * file; use one encoder per file.
 *
 * @example
 * const encoder = new RowEncoder();
 * for await (const rows of batches) await send(encoder.encode(rows));
 */
export class RowEncoder {
  readonly #seen = new SeenKeys();
  #seq = 0;
  readonly #writer = new CopyBinaryWriter();
  readonly #repeatWriter = new CopyBinaryWriter(1024);

  /** Encodes the next rows of the file. Throws `WarehouseError` for a value PostgreSQL cannot store. */
  encode(rows: readonly ProcessedRow[]): EncodedBatch {
    const seqs = new Float64Array(rows.length);
    const repeats: RepeatRow[] = [];
    const days = new DayCounts();
    let count = 0;
    for (const row of rows) {
      const seq = this.#seq++;
      if (this.#seen.add(row.session_id)) {
        this.#repeatWriter.tuple(row);
        // In a buffer of its own: a pooled one would keep its neighbours' memory alive.
        repeats.push({ key: row.session_id, tuple: new Uint8Array(this.#repeatWriter.take()), seq });
        continue;
      }
      this.#writer.tuple(row);
      seqs[count++] = seq;
      days.add(row.event_date);
    }
    const [dayList, dayCounts] = days.arrays();
    return {
      direct: count > 0 ? this.#writer.take() : new Uint8Array(0),
      seqs: count === rows.length ? seqs : seqs.slice(0, count),
      days: dayList,
      dayCounts,
      repeats,
    };
  }
}
