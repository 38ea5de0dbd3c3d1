import type { ProcessedRow } from '@streampulse/schema';

/**
 * Keeps one row per `session_id`: the latest `end_time` wins; on a tie the row seen first
 * stays. Offer rows in the contract's order (files by ascending key, rows in file order).
 * The same rule holds across runs: a stored row is replaced only by a strictly later end.
 *
 * @example
 * const sessions = new SessionDeduper();
 * sessions.offer(a); sessions.offer(laterA);
 * sessions.rows(); // [laterA]
 */
export class SessionDeduper {
  readonly #bySession = new Map<string, ProcessedRow>();
  /** Rows offered that did not end up in the table (lost to another row of the same session). */
  duplicates = 0;

  /** Offers a row; returns true when it is now the session's row. */
  offer(row: ProcessedRow): boolean {
    const current = this.#bySession.get(row.session_id);
    if (current === undefined) {
      this.#bySession.set(row.session_id, row);
      return true;
    }
    this.duplicates += 1;
    if (row.end_time > current.end_time) {
      this.#bySession.set(row.session_id, row);
      return true;
    }
    return false;
  }

  /** The surviving rows, ordered by session_id in code-unit order. */
  rows(): ProcessedRow[] {
    return [...this.#bySession.values()].sort((a, b) =>
      a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0,
    );
  }

  get size(): number {
    return this.#bySession.size;
  }
}
