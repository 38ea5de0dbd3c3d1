import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  lakeFolderKeys,
  repositoryGoldenCases,
  type GoldenCase,
  type GoldenReport,
} from '@streampulse/acceptance';

/**
 * The fields of a run report the contract fixes for a whole run, without `processed_rows`: what a
 * test compares between a run's report and `expected/etl_report.json`.
 *
 * @example
 * expect(contractReportOf(report)).toEqual(contractReportOf(golden.report));
 */
export function contractReportOf(
  report: Pick<GoldenReport, 'files_failed' | 'files_skipped' | 'rejected_by_reason' | 'rows_rejected'>,
): Omit<GoldenReport, 'processed_rows'> {
  return {
    files_failed: report.files_failed,
    files_skipped: report.files_skipped,
    rejected_by_reason: report.rejected_by_reason,
    rows_rejected: report.rows_rejected,
  };
}

/**
 * Every golden case: the project's fixtures (copied from the contract's cases, so a fresh clone
 * has them) and, when the repository sits beside `../shared/golden`, every case found there.
 *
 * @example
 * for (const c of goldenCases()) it(`matches ${c.name}`, () => { ... });
 */
export function goldenCases(): GoldenCase[] {
  return repositoryGoldenCases(dirname(fileURLToPath(import.meta.url)));
}

/** A lake file as the pure pipeline reads it: its key and a stream of its bytes. */
export interface LakeFile {
  key: string;
  open(): AsyncIterable<Uint8Array>;
}

/**
 * Every file under `prefix` of a local lake folder, with keys relative to the lake root
 * (test support for the pure packages, which read no files themselves).
 *
 * @example
 * const playback = lakeFiles(c.lakeDir, 'raw/playback/');
 */
export function lakeFiles(lakeDir: string, prefix: string): LakeFile[] {
  return lakeFolderKeys(lakeDir, prefix).map((key) => ({
    key,
    open: () => createReadStream(join(lakeDir, ...key.split('/'))) as AsyncIterable<Uint8Array>,
  }));
}
