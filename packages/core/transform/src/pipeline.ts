import { classifyKey, decodeFile, FileDecodeError } from '@streampulse/formats';
import {
  LAKE_LAYOUT,
  pipelineSettingsSchema,
  type PipelineSettingsInput,
  type ProcessedRow,
} from '@streampulse/schema';
import { SessionDeduper } from './dedupe.js';
import { contentDimension, userDimension, type Dimension } from './dimensions.js';
import { FieldMapper } from './fields.js';
import { PlaybackFileTransform, type Rejection } from './file-transform.js';
import { playbackRules } from './playback.js';
import { RunReportBuilder, type RunReport } from './run-report.js';

/** A file of a lake: its key (relative to the lake root) and a way to read its bytes. */
export interface SourceFile {
  readonly key: string;
  open(): AsyncIterable<Uint8Array>;
}

/** What happened to a file while building a dimension table. */
export type DimensionFileOutcome =
  | { readonly key: string; readonly status: 'loaded'; readonly rows: number }
  | { readonly key: string; readonly status: 'failed'; readonly error: string }
  | { readonly key: string; readonly status: 'skipped' };

const byKey = (a: SourceFile, b: SourceFile): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Builds a dimension from the files under one raw prefix: files in ascending key order, rows in
 * file order, the last row of an id wins. A file that cannot be read adds none of its rows; an
 * unsupported name is skipped; `_`/`.` names are ignored silently.
 *
 * @example
 * const { table, outcomes } = await buildDimension(files, LAKE_LAYOUT.contentMetadata, contentDimension);
 */
export async function buildDimension<T>(
  files: readonly SourceFile[],
  prefix: string,
  create: () => Dimension<T>,
): Promise<{ table: Dimension<T>; outcomes: DimensionFileOutcome[] }> {
  const table = create();
  const outcomes: DimensionFileOutcome[] = [];
  for (const file of [...files].sort(byKey)) {
    const kind = classifyKey(file.key, prefix);
    if (kind.kind === 'ignored') continue;
    if (kind.kind === 'unsupported') {
      outcomes.push({ key: file.key, status: 'skipped' });
      continue;
    }
    const fileTable = create();
    const mapper = new FieldMapper();
    try {
      for await (const batch of decodeFile(file.open(), kind.type)) {
        for (const record of batch) {
          if (record.ok) fileTable.add(mapper.map(record.names, record.values));
          else fileTable.skipMalformed();
        }
      }
    } catch (error) {
      if (!(error instanceof FileDecodeError)) throw error;
      outcomes.push({ key: file.key, status: 'failed', error: error.message });
      continue;
    }
    outcomes.push({ key: file.key, status: 'loaded', rows: fileTable.counts.rowsRead });
    table.merge(fileTable);
  }
  return { table, outcomes };
}

/** The files of one run, by dataset. */
export interface PipelineInput {
  readonly playback: readonly SourceFile[];
  readonly contentMetadata: readonly SourceFile[];
  readonly userProfiles: readonly SourceFile[];
}

/** The processed table, the quarantine and the report of an in-memory run. */
export interface PipelineResult {
  /** One row per session, ordered by session_id. */
  readonly rows: ProcessedRow[];
  readonly rejections: Rejection[];
  readonly report: RunReport;
}

/**
 * Runs the whole contract in memory over a set of files: dimensions, then every playback file
 * in ascending key order (each all or nothing), the join, and the session dedupe. Meant for
 * tests, small lakes and embedding; the ETL job streams the same building blocks into
 * PostgreSQL for lakes of any size.
 *
 * @example
 * const { rows, report } = await runPipeline({ playback, contentMetadata, userProfiles }, { sourceTimeZone: 'UTC' });
 */
export async function runPipeline(
  input: PipelineInput,
  settings: PipelineSettingsInput = {},
): Promise<PipelineResult> {
  const rules = playbackRules(pipelineSettingsSchema.parse(settings));
  const report = new RunReportBuilder();
  const content = await buildDimension(input.contentMetadata, LAKE_LAYOUT.contentMetadata, contentDimension);
  const users = await buildDimension(input.userProfiles, LAKE_LAYOUT.userProfiles, userDimension);
  for (const outcome of [...content.outcomes, ...users.outcomes]) {
    if (outcome.status === 'failed') report.failed(outcome.key, outcome.error);
    if (outcome.status === 'skipped') report.skipped(outcome.key);
  }

  const sessions = new SessionDeduper();
  const rejections: Rejection[] = [];
  for (const file of [...input.playback].sort(byKey)) {
    const kind = classifyKey(file.key, LAKE_LAYOUT.playback);
    if (kind.kind === 'ignored') continue;
    if (kind.kind === 'unsupported') {
      report.skipped(file.key);
      continue;
    }
    const fileRejections: Rejection[] = [];
    const transform = new PlaybackFileTransform(file.key, rules, content.table, users.table, (r) =>
      fileRejections.push(r),
    );
    const fileRows: ProcessedRow[] = [];
    try {
      for await (const batch of decodeFile(file.open(), kind.type)) {
        for (const row of transform.batch(batch)) fileRows.push(row);
      }
    } catch (error) {
      if (!(error instanceof FileDecodeError)) throw error;
      report.failed(file.key, error.message);
      continue;
    }
    const before = sessions.duplicates;
    const written = { inserted: 0, replaced: 0 };
    for (const row of fileRows) {
      const size = sessions.size;
      if (sessions.offer(row)) written[sessions.size > size ? 'inserted' : 'replaced'] += 1;
    }
    report.loaded(file.key, transform.counts, written, sessions.duplicates - before);
    rejections.push(...fileRejections);
  }
  return { rows: sessions.rows(), rejections, report: report.build() };
}
