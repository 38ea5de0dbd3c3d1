import { classifyKey } from '@streampulse/formats';
import { dimensionJobFiles, playbackJobFile, RunPlanError } from '@streampulse/glue';
import { LakeError, lakeUrl, type Lake, type LakeObject } from '@streampulse/lake';
import { PlanRunError, withPlanViews, type PlanViews } from '@streampulse/plan-runner';
import {
  LAKE_LAYOUT,
  REJECTION_REASONS,
  type PipelineSettings,
  type ProcessedRow,
  type RejectionReason,
} from '@streampulse/schema';
import { compileEtlJobPlan, DUCKDB, type JobFile } from '@streampulse/contract-sql';
import { RunReportBuilder, type PlaybackFileCounts, type RunReport } from '@streampulse/transform';
import {
  loadedEtags,
  migrate,
  recordFileFailure,
  stageFile,
  type FileLoadResult,
} from '@streampulse/warehouse';
import type { EtlJobOptions } from './etl-job.js';
import { silentLogger, type Logger } from '@streampulse/logging';
import { failPlaybackFile, isFileFailure, listPlaybackObjects } from './playback-objects.js';
import { quarantineLine, writeQuarantine } from './quarantine.js';

/**
 * What an ETL run on the compiled job plan needs: `runEtlJob`'s options, plus the environment the
 * plan's reader opens `s3://` paths with (endpoint, region, credentials).
 *
 * @example
 * const options: PlanEtlJobOptions = { lake, pool, settings, env: process.env };
 */
export interface PlanEtlJobOptions extends EtlJobOptions {
  env: Record<string, string | undefined>;
}

// The report's counts of one file, from the plan's per-record results: rejected rows by reason,
// orphans among the valid ones.
const COUNTS_SQL =
  'SELECT reason, count(*) AS n, count(*) FILTER (WHERE orphan_content) AS orphan_content, ' +
  'count(*) FILTER (WHERE orphan_user) AS orphan_user FROM playback_results GROUP BY reason';

// The plan's staged rows (deduplicated, in key and row order) as the warehouse's row objects, so
// they go through the same COPY encoding and checks as the default engine's rows.
const STAGED_ROWS_SQL =
  'SELECT session_id, user_id, content_id, title, genre, region, device_type, ' +
  'epoch_ms(start_time) AS start_ms, epoch_ms(end_time) AS end_ms, CAST(duration_min AS DOUBLE), ' +
  "strftime(event_date, '%Y-%m-%d') FROM staged ORDER BY seq";

async function fileCounts(views: PlanViews): Promise<PlaybackFileCounts> {
  const counts: PlaybackFileCounts = {
    rowsRead: 0,
    rowsValid: 0,
    rowsRejected: 0,
    rejectedByReason: {},
    orphanContent: 0,
    orphanUser: 0,
  };
  const byReason: Partial<Record<RejectionReason, number>> = {};
  for (const row of await views.rows(COUNTS_SQL)) {
    const rows = Number(row.n);
    counts.rowsRead += rows;
    if (row.reason === null) {
      counts.rowsValid += rows;
      counts.orphanContent += Number(row.orphan_content);
      counts.orphanUser += Number(row.orphan_user);
    } else {
      counts.rowsRejected += rows;
      byReason[row.reason as RejectionReason] = rows;
    }
  }
  // Reasons in the contract's order, as the default engine counts them.
  for (const reason of REJECTION_REASONS) {
    const count = byReason[reason];
    if (count) counts.rejectedByReason[reason] = count;
  }
  return counts;
}

/** The plan's quarantine lines, in row order, written as the default engine writes them. */
async function quarantineOf(views: PlanViews): Promise<string[]> {
  const rejections: { source: string; row: number; reason: RejectionReason; record: unknown }[] = [];
  for await (const chunk of views.chunks('SELECT line FROM rejected')) {
    for (const [line] of chunk) rejections.push(JSON.parse(String(line)) as (typeof rejections)[number]);
  }
  return rejections
    .sort((a, b) => a.row - b.row)
    .map((r) => quarantineLine({ source: r.source, row: r.row, reason: r.reason, raw: r.record }));
}

async function* stagedRows(views: PlanViews): AsyncIterable<ProcessedRow[]> {
  for await (const chunk of views.chunks(STAGED_ROWS_SQL)) {
    yield chunk.map((row) => ({
      session_id: row[0] as string,
      user_id: row[1] as string,
      content_id: row[2] as string,
      title: row[3] as string,
      genre: row[4] as string,
      region: row[5] as string,
      device_type: row[6] as ProcessedRow['device_type'],
      start_time: Number(row[7]),
      end_time: Number(row[8]),
      duration_min: row[9] as number,
      event_date: row[10] as string,
    }));
  }
}

/**
 * A failure that ends one playback file (the run goes on), as a message; anything else stops the
 * run (rethrown).
 */
function fileFailureMessage(error: unknown): string {
  if (error instanceof PlanRunError && error.code === 'run_failed') return error.message;
  if (error instanceof RunPlanError && error.code === 'read_failed') {
    const cause = error.cause;
    if (cause instanceof LakeError && cause.code === 'access_denied') throw cause;
    return `${error.message}: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
  if (isFileFailure(error)) return error.message;
  throw error;
}

/**
 * The dimension files one plan run reads, each checked by a plan of its own: a file the plan
 * cannot read (a broken gzip, a quote left open, a broken JSON array) is reported failed and left
 * out, as the default engine leaves out its rows; files of an unsupported type are reported
 * skipped.
 */
async function dimensionFiles(
  lake: Lake,
  settings: PipelineSettings,
  env: Record<string, string | undefined>,
  report: RunReportBuilder,
  logger: Logger,
): Promise<JobFile[]> {
  const readable: JobFile[] = [];
  const checked = new Map<string, JobFile>();
  const failed = new Map<string, string>();
  const planned = await dimensionJobFiles({ lake }, (key, error) =>
    failed.set(key, fileFailureMessage(error)),
  );
  for (const file of planned) checked.set(file.key, file);
  for (const folder of [LAKE_LAYOUT.contentMetadata, LAKE_LAYOUT.userProfiles]) {
    for await (const object of lake.list(folder)) {
      const kind = classifyKey(object.key, folder);
      if (kind.kind === 'unsupported') {
        logger.warn('unsupported file skipped', { key: object.key });
        report.skipped(object.key);
      }
      const file = checked.get(object.key);
      let failure = failed.get(object.key);
      if (file) {
        // Read as a playback file is read, so a file the plan cannot read fails the probe (a
        // dimension file that cannot be read only loses its rows in a run, silently).
        const probe: JobFile = { ...file, dataset: 'playback' };
        const plan = compileEtlJobPlan(DUCKDB, { lakeRoot: lakeUrl(lake.root), files: [probe], settings });
        try {
          await withPlanViews(plan, { env }, async () => undefined);
          readable.push(file);
        } catch (error) {
          failure = fileFailureMessage(error);
        }
      }
      if (failure === undefined) continue;
      logger.warn('dimension file failed; none of its rows are used', { key: object.key, error: failure });
      report.failed(object.key, failure);
    }
  }
  // The plan reads each dataset's files in key order (the planner's order).
  return [...checked.values()].filter((file) => readable.includes(file));
}

/**
 * The ETL job on the compiled job plan, run by DuckDB through the same runner code as the Glue
 * runs' DuckDB backend: for each playback file not yet loaded with the same etag (or only
 * `inputs`), in ascending key order, the plan the ETL trigger would compile for it (the lake's
 * dimension files and that file), whose `staged` rows are loaded in one transaction through the
 * warehouse's own load (the one merge, the ledger, changed days) and whose `rejected` lines become
 * the file's quarantine. Same report, table and quarantine as `runEtlJob`; a file the plan cannot
 * read fails alone with the engine's message.
 *
 * @example
 * const report = await runPlanEtlJob({ lake: openLake('./lake'), pool, settings, env: process.env });
 * report.files_failed; // keys of files that could not be read
 */
export async function runPlanEtlJob(options: PlanEtlJobOptions): Promise<RunReport> {
  const { lake, pool, settings, env, force = false, logger = silentLogger, now = () => new Date() } = options;
  const report = new RunReportBuilder();
  await migrate(pool);
  const dimensions = await dimensionFiles(lake, settings, env, report, logger);
  logger.info('dimension files read', { files: dimensions.length });

  const objects = await listPlaybackObjects(lake, options.inputs);
  const loaded = force ? new Map<string, string>() : await loadedEtags(pool);
  let filesDone = 0;
  let rowsRead = 0;
  for (const object of objects) {
    filesDone += 1;
    const kind = classifyKey(object.key, LAKE_LAYOUT.playback);
    if (kind.kind === 'ignored') continue;
    if (kind.kind === 'unsupported') {
      logger.warn('unsupported file skipped', { key: object.key });
      report.skipped(object.key);
      continue;
    }
    if (loaded.get(object.key) === object.etag) {
      report.unchanged(object.key);
      continue;
    }
    const outcome = await loadPlaybackFile(options, dimensions, object).catch((error: unknown) => ({
      failure: fileFailureMessage(error),
    }));
    if ('failure' in outcome) {
      await failPlaybackFile({ pool, logger, report, now }, object, outcome.failure);
      continue;
    }
    const { counts, rowsLoaded } = outcome;
    try {
      await writeQuarantine(lake, object.key, outcome.quarantine);
    } catch (error) {
      // As in the default engine: the rows are committed but their rejected rows are not written
      // (a full disk), so the ledger must not call the file loaded (a rerun writes them); the run
      // stops.
      const reason = error instanceof Error ? error.message : String(error);
      const failure = { key: object.key, etag: object.etag, size: object.size };
      await recordFileFailure(pool, { ...failure, error: `quarantine not written: ${reason}` }, { now });
      throw error;
    }
    rowsRead += counts.rowsRead;
    report.loaded(
      object.key,
      counts,
      { inserted: outcome.rowsInserted, replaced: outcome.rowsReplaced },
      counts.rowsValid - rowsLoaded,
    );
    logger.info('file loaded', {
      key: object.key,
      rows: counts.rowsRead,
      loaded: rowsLoaded,
      rejected: counts.rowsRejected,
    });
    options.onProgress?.({ filesDone, filesTotal: objects.length, currentFile: object.key, rowsRead });
  }
  return report.build();
}

/** One playback file through its plan and into the warehouse (committed); its quarantine lines. */
async function loadPlaybackFile(
  options: PlanEtlJobOptions,
  dimensions: readonly JobFile[],
  object: LakeObject,
): Promise<{ counts: PlaybackFileCounts; quarantine: string[] } & Omit<FileLoadResult, 'eventDates'>> {
  const { lake, pool, settings, env, now } = options;
  const input = await playbackJobFile({ lake }, object.key);
  const plan = compileEtlJobPlan(DUCKDB, {
    lakeRoot: lakeUrl(lake.root),
    files: [...dimensions, input],
    settings,
  });
  return withPlanViews(plan, { env }, async (views) => {
    const counts = await fileCounts(views);
    const quarantine = await quarantineOf(views);
    const staged = await stageFile(
      pool,
      {
        key: object.key,
        etag: object.etag,
        size: object.size,
        rowsRead: counts.rowsRead,
        rowsRejected: counts.rowsRejected,
        rows: stagedRows(views),
      },
      now ? { now } : {},
    );
    const result = await staged.commit().catch(async (error: unknown) => {
      await staged.abort();
      throw error;
    });
    const { rowsLoaded, rowsInserted, rowsReplaced } = result;
    return { counts, quarantine, rowsLoaded, rowsInserted, rowsReplaced };
  });
}
