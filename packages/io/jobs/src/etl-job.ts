import { classifyKey, decodeFile } from '@streampulse/formats';
import type { Lake } from '@streampulse/lake';
import { LAKE_LAYOUT, type PipelineSettings, type ProcessedRow } from '@streampulse/schema';
import {
  buildDimension,
  contentDimension,
  PlaybackFileTransform,
  playbackRules,
  RunReportBuilder,
  userDimension,
  type RunReport,
} from '@streampulse/transform';
import { loadedEtags, migrate, recordFileFailure, stageFile, type StagedFile } from '@streampulse/warehouse';
import type pg from 'pg';
import { lakeSourceFile, lakeSourceFiles } from './lake-source.js';
import { OrderedSteps } from './ordered-steps.js';
import { failPlaybackFile, isFileFailure, listPlaybackObjects } from './playback-objects.js';
import { silentLogger, type Logger } from '@streampulse/logging';
import { quarantineLine, writeQuarantine } from './quarantine.js';
import { QuarantineSpool } from './quarantine-spool.js';

/** Progress of a run, reported after every batch of rows. */
export interface EtlProgress {
  filesDone: number;
  filesTotal: number;
  currentFile: string;
  rowsRead: number;
}

/** What an ETL run needs; every dependency comes in here. */
export interface EtlJobOptions {
  lake: Lake;
  pool: pg.Pool;
  settings: PipelineSettings;
  /** Only these playback keys (relative to the lake root); default: every file under raw/playback/. */
  inputs?: readonly string[];
  /** Reload files the ledger has as loaded with the same etag. */
  force?: boolean;
  logger?: Logger;
  onProgress?: (progress: EtlProgress) => void;
  now?: () => Date;
}

/**
 * The ETL job: reads every dimension file, then each playback file not yet loaded with the same
 * etag (or only `inputs`), in ascending key order. Each file is decoded, validated, joined and
 * loaded into `processed.processed_data` in one transaction, all or nothing; its rejected rows
 * are quarantined under `rejected/playback/` once its rows are committed. A file that cannot be
 * read to its end adds nothing but its own failed entry.
 *
 * @example
 * const report = await runEtlJob({ lake: openLake('./lake'), pool, settings });
 * report.files_failed; // keys of files that could not be read
 */
export async function runEtlJob(options: EtlJobOptions): Promise<RunReport> {
  const { lake, pool, settings, force = false, logger = silentLogger, now = () => new Date() } = options;
  const rules = playbackRules(settings);
  const report = new RunReportBuilder();

  await migrate(pool);

  const content = await buildDimension(
    await lakeSourceFiles(lake, LAKE_LAYOUT.contentMetadata),
    LAKE_LAYOUT.contentMetadata,
    contentDimension,
  );
  const users = await buildDimension(
    await lakeSourceFiles(lake, LAKE_LAYOUT.userProfiles),
    LAKE_LAYOUT.userProfiles,
    userDimension,
  );
  for (const outcome of [...content.outcomes, ...users.outcomes]) {
    if (outcome.status === 'failed') {
      logger.warn('dimension file failed; none of its rows are used', {
        key: outcome.key,
        error: outcome.error,
      });
      report.failed(outcome.key, outcome.error);
    } else if (outcome.status === 'skipped') {
      logger.warn('unsupported file skipped', { key: outcome.key });
      report.skipped(outcome.key);
    }
  }
  logger.info('dimensions read', { content: content.table.size, users: users.table.size });

  const objects = await listPlaybackObjects(lake, options.inputs);
  const loaded = force ? new Map<string, string>() : await loadedEtags(pool);
  let filesDone = 0;
  let rowsRead = 0;
  // The next file is staged while the previous one commits (its staging starts as soon as the
  // load lock is free); commits (and report entries) stay in ascending key order.
  const steps = new OrderedSteps();
  try {
    for (const object of objects) {
      const kind = classifyKey(object.key, LAKE_LAYOUT.playback);
      filesDone += 1;
      if (kind.kind === 'ignored') continue;
      if (kind.kind === 'unsupported') {
        await steps.queue(async () => {
          logger.warn('unsupported file skipped', { key: object.key });
          report.skipped(object.key);
        });
        continue;
      }
      if (loaded.get(object.key) === object.etag) {
        await steps.queue(async () => report.unchanged(object.key));
        continue;
      }
      const fileType = kind.type;
      const quarantine = new QuarantineSpool();
      const transform = new PlaybackFileTransform(
        object.key,
        rules,
        content.table,
        users.table,
        (rejection) => quarantine.add(quarantineLine(rejection)),
      );
      const progress = (): void =>
        options.onProgress?.({ filesDone, filesTotal: objects.length, currentFile: object.key, rowsRead });
      async function* rows(): AsyncIterable<ProcessedRow[]> {
        for await (const batch of decodeFile(lakeSourceFile(lake, object.key).open(), fileType)) {
          rowsRead += batch.length;
          yield transform.batch(batch);
          progress();
        }
      }
      let staged: StagedFile | undefined;
      let failure: Error | undefined;
      try {
        staged = await stageFile(
          pool,
          {
            key: object.key,
            etag: object.etag,
            size: object.size,
            rows: rows(),
            // Read by the warehouse after the rows are consumed, when the counts are final.
            get rowsRead() {
              return transform.counts.rowsRead;
            },
            get rowsRejected() {
              return transform.counts.rowsRejected;
            },
          },
          { now },
        );
      } catch (error) {
        if (!isFileFailure(error)) {
          quarantine.dispose();
          throw error;
        }
        rowsRead -= transform.counts.rowsRead;
        failure = error;
      }
      const ready = staged;
      // If an earlier commit failed, this staged file is rolled back rather than left open.
      await steps
        .queue(async () => {
          try {
            if (!ready) {
              await failPlaybackFile(
                { pool, logger, report, now },
                object,
                failure?.message ?? 'unknown failure',
              );
              return;
            }
            let result;
            try {
              result = await ready.commit();
            } catch (error) {
              // The merge can still find a value PostgreSQL cannot store (a key too big for the
              // index): that file fails alone, rolled back, as a failure while staging would.
              if (!isFileFailure(error)) throw error;
              await failPlaybackFile({ pool, logger, report, now }, object, error.message);
              return;
            }
            try {
              await writeQuarantine(lake, object.key, quarantine);
            } catch (error) {
              // The rows are committed but their rejected rows are not written (a full disk): the
              // ledger must not call the file loaded, or no rerun would ever write them.
              const reason = error instanceof Error ? error.message : String(error);
              await recordFileFailure(
                pool,
                {
                  key: object.key,
                  etag: object.etag,
                  size: object.size,
                  error: `quarantine not written: ${reason}`,
                },
                { now },
              );
              throw error;
            }
            report.loaded(
              object.key,
              transform.counts,
              { inserted: result.rowsInserted, replaced: result.rowsReplaced },
              transform.counts.rowsValid - result.rowsLoaded,
            );
            logger.info('file loaded', {
              key: object.key,
              rows: transform.counts.rowsRead,
              loaded: result.rowsLoaded,
              rejected: transform.counts.rowsRejected,
            });
          } finally {
            // The lines are in the lake now, or the file failed and must leave none behind.
            quarantine.dispose();
          }
        })
        .catch(async (error: unknown) => {
          await ready?.abort();
          quarantine.dispose();
          throw error;
        });
    }
    await steps.drain();
  } catch (error) {
    await steps.settle();
    throw error;
  }
  return report.build();
}
