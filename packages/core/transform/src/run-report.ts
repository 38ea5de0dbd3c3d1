import type { RejectionReason } from '@streampulse/schema';
import { REJECTION_REASONS } from '@streampulse/schema';
import type { PlaybackFileCounts } from './file-transform.js';

/** How one file of a run ended. */
export type FileStatus = 'loaded' | 'unchanged' | 'failed' | 'skipped';

/** One file's line in a run report. */
export interface FileReport {
  key: string;
  status: FileStatus;
  /** Records read from the file (0 for failed, skipped and unchanged files). */
  rows: number;
  /** Why the file failed or was skipped. */
  error?: string;
}

/** What a file's load wrote: rows of new sessions, and rows that replaced a stored one. */
export interface RowsWritten {
  inserted: number;
  replaced: number;
}

/** The report of an ETL run; key names are the CLI's `--json` contract. */
export interface RunReport {
  files: FileReport[];
  rows_read: number;
  /** Rows written to the table: `rows_inserted + rows_replaced`. */
  rows_loaded: number;
  /** Rows of sessions the table did not hold yet. */
  rows_inserted: number;
  /** Rows that replaced a stored row of the same session (a strictly later `end_time`). */
  rows_replaced: number;
  rows_rejected: number;
  rejected_by_reason: Partial<Record<RejectionReason, number>>;
  files_failed: string[];
  files_skipped: string[];
  duplicates: number;
  orphan_content: number;
  orphan_user: number;
}

/**
 * Accumulates a run report file by file. Reason counts keep the contract's reason order.
 *
 * @example
 * const report = new RunReportBuilder();
 * report.loaded('raw/playback/a.csv', counts, { inserted: 118, replaced: 2 });
 * report.failed('raw/playback/b.csv.gz', 'gzip data ends early (truncated)');
 * report.build();
 */
export class RunReportBuilder {
  readonly #report: RunReport = {
    files: [],
    rows_read: 0,
    rows_loaded: 0,
    rows_inserted: 0,
    rows_replaced: 0,
    rows_rejected: 0,
    rejected_by_reason: {},
    files_failed: [],
    files_skipped: [],
    duplicates: 0,
    orphan_content: 0,
    orphan_user: 0,
  };

  /** A file whose rows all went through; `written`: its rows inserted and replaced in the table. */
  loaded(key: string, counts: PlaybackFileCounts, written: RowsWritten, duplicates = 0): void {
    const report = this.#report;
    report.files.push({ key, status: 'loaded', rows: counts.rowsRead });
    report.rows_read += counts.rowsRead;
    report.rows_loaded += written.inserted + written.replaced;
    report.rows_inserted += written.inserted;
    report.rows_replaced += written.replaced;
    report.rows_rejected += counts.rowsRejected;
    for (const [reason, count] of Object.entries(counts.rejectedByReason) as [RejectionReason, number][]) {
      report.rejected_by_reason[reason] = (report.rejected_by_reason[reason] ?? 0) + count;
    }
    report.duplicates += duplicates;
    report.orphan_content += counts.orphanContent;
    report.orphan_user += counts.orphanUser;
  }

  /** A file already loaded with the same etag. */
  unchanged(key: string): void {
    this.#report.files.push({ key, status: 'unchanged', rows: 0 });
  }

  /** A file that could not be read to its end: it adds nothing but its own entry. */
  failed(key: string, error: string): void {
    this.#report.files.push({ key, status: 'failed', rows: 0, error });
    this.#report.files_failed.push(key);
  }

  /** A file with an unsupported name. */
  skipped(key: string): void {
    this.#report.files.push({ key, status: 'skipped', rows: 0, error: 'unsupported file type' });
    this.#report.files_skipped.push(key);
  }

  /** Adds to the duplicates count (rows that lost to another row of the same session). */
  addDuplicates(count: number): void {
    this.#report.duplicates += count;
  }

  build(): RunReport {
    const report = this.#report;
    const ordered: Partial<Record<RejectionReason, number>> = {};
    for (const reason of REJECTION_REASONS) {
      const count = report.rejected_by_reason[reason];
      if (count) ordered[reason] = count;
    }
    return { ...report, files: [...report.files], rejected_by_reason: ordered };
  }
}
