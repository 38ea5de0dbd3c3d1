import { FileDecodeError } from '@streampulse/formats';
import { LakeError, type Lake, type LakeObject } from '@streampulse/lake';
import { LAKE_LAYOUT } from '@streampulse/schema';
import type { RunReportBuilder } from '@streampulse/transform';
import { recordFileFailure, WarehouseError } from '@streampulse/warehouse';
import type pg from 'pg';
import { EtlJobError } from './etl-job-error.js';
import type { Logger } from '@streampulse/logging';

const byKey = (a: LakeObject, b: LakeObject): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The playback files of a run, in ascending key order: every object under `raw/playback/`, or
 * just `inputs` (keys relative to the lake root), each of which must exist there.
 *
 * @example
 * const objects = await listPlaybackObjects(lake, ['raw/playback/dt=2025-03-10/part-0001.csv']);
 */
export async function listPlaybackObjects(
  lake: Lake,
  inputs: readonly string[] | undefined,
): Promise<LakeObject[]> {
  const objects: LakeObject[] = [];
  if (!inputs) {
    for await (const object of lake.list(LAKE_LAYOUT.playback)) objects.push(object);
    return objects;
  }
  for (const key of inputs) {
    if (!key.startsWith(LAKE_LAYOUT.playback)) {
      throw new EtlJobError('input_outside_playback', `input ${key} is not under ${LAKE_LAYOUT.playback}`);
    }
    const object = await lake.stat(key);
    if (!object) throw new EtlJobError('input_not_found', `input ${key} not found in lake ${lake.root}`);
    objects.push(object);
  }
  return objects.sort(byKey);
}

/**
 * PostgreSQL's program_limit_exceeded: a value too big for what the table asks of it (a session
 * id of megabytes cannot be a key of the primary key's index). The file's data, not the database.
 */
const PROGRAM_LIMIT_EXCEEDED = '54000';

function isOverLimit(error: WarehouseError): boolean {
  const cause = error.cause as { code?: unknown } | undefined;
  return error.code === 'load_failed' && cause?.code === PROGRAM_LIMIT_EXCEEDED;
}

/**
 * A file that cannot be read to its end, or holds a value PostgreSQL cannot store (a NUL, a key
 * beyond the index's size limit), fails alone (the run goes on); anything else stops the run.
 *
 * @example
 * if (isFileFailure(error)) report.failed(key, error.message); else throw error;
 */
export function isFileFailure(error: unknown): error is Error {
  return (
    error instanceof FileDecodeError ||
    (error instanceof LakeError && error.code !== 'access_denied') ||
    (error instanceof WarehouseError && (error.code === 'unstorable_value' || isOverLimit(error)))
  );
}

/**
 * Ends a playback file that failed as a whole: the ledger records why (so the next run retries it),
 * the log and the run report say so, and none of its rows were loaded. Both ETL engines end a
 * failed file this way.
 *
 * @example
 * await failPlaybackFile({ pool, logger, report, now }, object, 'not gzip: incorrect header check');
 */
export async function failPlaybackFile(
  run: { pool: pg.Pool; logger: Logger; report: RunReportBuilder; now: () => Date },
  object: LakeObject,
  message: string,
): Promise<void> {
  await recordFileFailure(
    run.pool,
    { key: object.key, etag: object.etag, size: object.size, error: message },
    { now: run.now },
  );
  run.logger.warn('file failed; none of its rows were loaded', { key: object.key, error: message });
  run.report.failed(object.key, message);
}
