import { StreamPulseError } from '@streampulse/errors';
import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { constants, createGunzip } from 'node:zlib';
import { classifyKey, compareKeys } from '@streampulse/formats';
import { LakeError, lakeUrl, readObjectBytes, type Lake, type LakeObject } from '@streampulse/lake';
import {
  addDays,
  calendarDays,
  isCalendarDay,
  LAKE_LAYOUT,
  pipelineSettingsSchema,
  type PipelineSettings,
} from '@streampulse/schema';
import {
  compileAggregateJobPlan,
  compileEtlJobPlan,
  SPARK,
  type Dialect,
  type JobFile,
  type JobPlan,
} from '@streampulse/contract-sql';
import { delimitedHeader } from './header.js';

// The trigger Lambdas start one Glue run per S3 object or per day. The generic runner needs a plan
// compiled for exactly that run (the ETL plan folds each CSV's header in), so the Lambda compiles
// it just before StartJobRun and uploads it where the run can read it (`--plan_path`). The same
// functions plan the local runs (`glue-launcher start --backend spark|duckdb`, `streampulse put`),
// over a lake folder as well as a bucket.

/**
 * Why a run plan could not be made: the input is no data file or the request is malformed
 * (`not_data_file`, `invalid_request`), reading the lake failed (`read_failed`), or the upload
 * failed (`write_failed`). The lake's error is the `cause`.
 *
 * @example
 * const code: RunPlanErrorCode = 'not_data_file';
 */
export type RunPlanErrorCode = 'invalid_request' | 'not_data_file' | 'read_failed' | 'write_failed';

/**
 * The one error the run planner throws.
 *
 * @example
 * try {
 *   await planEtlRun({ lake }, { jobName: 'streampulse-etl', inputKey: 'raw/playback/notes.txt' });
 * } catch (error) {
 *   if (error instanceof RunPlanError && error.code === 'not_data_file') ignore();
 * }
 */
export class RunPlanError extends StreamPulseError<RunPlanErrorCode> {
  override readonly name = 'RunPlanError';
}

/**
 * What the planner uses: the lake (an S3 bucket and prefix, or a folder), which it lists, reads
 * the first bytes of, and writes the plan into; plan paths are the lake's URL (`s3://` or
 * `file://`) joined with keys.
 *
 * @example
 * const deps: RunPlanDeps = { lake: openLake('s3://lake', { env: process.env }) };
 */
export interface RunPlanDeps {
  lake: Lake;
}

/**
 * A plan uploaded for one run: its key under the lake root, the `--plan_path` URL, and the plan.
 *
 * @example
 * const run: RunPlan = await planAggregateRun({ lake }, { jobName: 'streampulse-aggregate', runDate: '2025-03-14', lookbackDays: 1 });
 * args['--plan_path'] = run.planPath;
 */
export interface RunPlan {
  key: string;
  planPath: string;
  plan: JobPlan;
}

/** How much of a file is read for its header: a header longer than this is cut. */
const HEADER_BYTES = 64 * 1024;

async function listObjects(lake: Lake, folder: string): Promise<LakeObject[]> {
  const objects: LakeObject[] = [];
  try {
    for await (const object of lake.list(folder)) objects.push(object);
  } catch (error) {
    throw new RunPlanError('read_failed', `listing ${lake.root}/${folder}`, { cause: error });
  }
  return objects;
}

async function readText(lake: Lake, key: string): Promise<string> {
  try {
    return (await readObjectBytes(lake, key)).toString('utf8');
  } catch (error) {
    throw new RunPlanError('read_failed', `reading ${lake.root}/${key}`, { cause: error });
  }
}

/** Gunzips until `HEADER_BYTES` of text came out or the input ran out; a cut stream is fine. */
function gunzipPrefix(bytes: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    // A sync flush keeps what a truncated stream holds: a ranged read always cuts the gzip.
    const gunzip = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
    const decoder = new StringDecoder('utf8');
    let text = '';
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      resolve(text + decoder.end());
    };
    gunzip.on('data', (chunk: Buffer) => {
      text += decoder.write(chunk);
      if (text.length >= HEADER_BYTES) finish();
    });
    gunzip.on('end', finish);
    gunzip.on('error', (error) => {
      // Corrupt past the header is the job's to report; corrupt before it leaves nothing to plan.
      if (text.length > 0) finish();
      else if (!settled) {
        settled = true;
        reject(error);
      }
    });
    gunzip.end(bytes);
  });
}

/**
 * The first `HEADER_BYTES` of an object (or all of it): one ranged read, never the whole file.
 * The size (from a listing, else a stat) keeps the range within the object: a range on an empty
 * object is one S3 refuses (416) and some S3 servers cannot answer at all.
 */
async function readPrefix(lake: Lake, key: string, gzip: boolean, knownSize?: number): Promise<string> {
  try {
    const size = knownSize ?? (await lake.stat(key))?.size;
    if (size === undefined) {
      throw new LakeError('not_found', `cannot read key ${key} in lake ${lake.root}: not found`, { key });
    }
    const chunks: Buffer[] = [];
    if (size > 0) {
      const range = { start: 0, end: Math.min(size, HEADER_BYTES) - 1 };
      for await (const chunk of await lake.read(key, { range })) chunks.push(Buffer.from(chunk));
    }
    const bytes = Buffer.concat(chunks);
    return gzip ? await gunzipPrefix(bytes) : new TextDecoder().decode(bytes);
  } catch (error) {
    throw new RunPlanError('read_failed', `reading the start of ${lake.root}/${key}`, { cause: error });
  }
}

async function jobFile(
  lake: Lake,
  key: string,
  dataset: JobFile['dataset'],
  type: { format: 'csv' | 'tsv' | 'jsonl' | 'json'; gzip: boolean },
  size?: number,
): Promise<JobFile> {
  if (type.format === 'jsonl') return { key, dataset, format: 'jsonl' };
  const text = await readPrefix(lake, key, type.gzip, size);
  if (type.format === 'json') {
    return { key, dataset, format: text.trimStart().startsWith('[') ? 'json-array' : 'jsonl' };
  }
  return {
    key,
    dataset,
    format: type.format,
    header: delimitedHeader(text, type.format === 'csv' ? ',' : '\t'),
  };
}

function contentAddressed(jobName: string, plan: JobPlan): { key: string; body: string } {
  const body = `${JSON.stringify(plan)}\n`;
  const digest = createHash('sha256').update(body).digest('hex');
  return { key: `${LAKE_LAYOUT.glueScripts}runs/${jobName}/${digest}.json`, body };
}

/**
 * Uploads a plan at `scripts/glue/runs/<job>/<sha256 of the plan>.json` under the lake root: the
 * same plan (a duplicate S3 event, a replayed schedule) always writes the same object.
 *
 * @example
 * const run = await uploadRunPlan({ lake }, 'streampulse-aggregate', plan);
 * run.planPath; // 's3://lake/scripts/glue/runs/streampulse-aggregate/3f…9a.json'
 */
export async function uploadRunPlan(deps: RunPlanDeps, jobName: string, plan: JobPlan): Promise<RunPlan> {
  const { key, body } = contentAddressed(jobName, plan);
  const planPath = `${lakeUrl(deps.lake.root)}/${key}`;
  await deps.lake.write(key, body, { contentType: 'application/json' }).catch((error: unknown) => {
    throw new RunPlanError('write_failed', `uploading the run plan ${planPath}`, { cause: error });
  });
  return { key, planPath, plan };
}

/**
 * What {@link planEtlRun} plans: one playback object of the lake, and the job it is for.
 *
 * @example
 * const options: EtlRunPlanOptions = { jobName: 'streampulse-etl', inputKey: 'raw/playback/a.csv' };
 */
export interface EtlRunPlanOptions {
  jobName: string;
  /** The playback object's key under the lake root. */
  inputKey: string;
  /** Where playback keys live (default `raw/playback/`). */
  playbackPrefix?: string;
  /** Default: the contract's defaults (UTC source, Asia/Kolkata reporting). */
  settings?: PipelineSettings;
  /** The engine the plan is for (default SPARK, as Glue runs it; DUCKDB for the local runner). */
  dialect?: Dialect;
}

/**
 * The files one ETL run reads: every content and user file of the lake (key order), then the
 * playback object, each with its format and, for CSV/TSV, the header read from its first 64 KiB.
 * A playback key that is no data file (`notes.txt`, `_SUCCESS`) is `RunPlanError`
 * `not_data_file`; dimension files that are not data are left out, as the contract skips them.
 *
 * @example
 * const files = await etlRunFiles({ lake }, { jobName: 'streampulse-etl', inputKey: 'raw/playback/a.csv' });
 */
export async function etlRunFiles(deps: RunPlanDeps, options: EtlRunPlanOptions): Promise<JobFile[]> {
  const input = await playbackJobFile(deps, options.inputKey, options.playbackPrefix);
  return [...(await dimensionJobFiles(deps)), input];
}

/**
 * Every content and user data file of the lake, in key order within each dataset, with its
 * format and, for CSV/TSV, its header: what every ETL run reads besides its playback file. A file
 * whose start cannot be read (not gzip though named `.gz`) is left out, as the contract leaves out
 * an unreadable dimension file's rows, and handed to `onUnreadable`; a lake that refuses access
 * stops the planning.
 *
 * @example
 * const dimensions = await dimensionJobFiles({ lake }, (key, error) => log.warn(key, error.message));
 */
export async function dimensionJobFiles(
  deps: RunPlanDeps,
  onUnreadable: (key: string, error: RunPlanError) => void = () => undefined,
): Promise<JobFile[]> {
  const files: JobFile[] = [];
  const dimensions: [JobFile['dataset'], string][] = [
    ['content', LAKE_LAYOUT.contentMetadata],
    ['users', LAKE_LAYOUT.userProfiles],
  ];
  for (const [dataset, folder] of dimensions) {
    const objects = (await listObjects(deps.lake, folder)).sort((a, b) => compareKeys(a.key, b.key));
    for (const { key, size } of objects) {
      const found = classifyKey(key, folder);
      if (found.kind !== 'data') continue;
      try {
        files.push(await jobFile(deps.lake, key, dataset, found.type, size));
      } catch (error) {
        if (!(error instanceof RunPlanError) || isAccessDenied(error.cause)) throw error;
        onUnreadable(key, error);
      }
    }
  }
  return files;
}

/** A lake error that no other file fixes: the lake refuses access. */
const isAccessDenied = (error: unknown): boolean =>
  error instanceof LakeError && error.code === 'access_denied';

/**
 * One playback object as a run's input: its format and, for CSV/TSV, its header. A key that is no
 * data file (`notes.txt`, `_SUCCESS`) is `RunPlanError` `not_data_file`.
 *
 * @example
 * const input = await playbackJobFile({ lake }, 'raw/playback/a.csv');
 */
export async function playbackJobFile(
  deps: RunPlanDeps,
  key: string,
  playbackPrefix: string = LAKE_LAYOUT.playback,
): Promise<JobFile> {
  const input = classifyKey(key, playbackPrefix);
  if (input.kind !== 'data') {
    throw new RunPlanError('not_data_file', `${key} is not a playback data file (${input.kind})`);
  }
  return jobFile(deps.lake, key, 'playback', input.type);
}

/**
 * Where Glue ETL runs write their rejected rows, one folder per playback object.
 *
 * @example
 * lake.list(GLUE_REJECTED_PREFIX);
 */
export const GLUE_REJECTED_PREFIX = LAKE_LAYOUT.glueRejectedPlayback;

/**
 * Where a Glue ETL run writes the rejected rows of one playback object: a folder of its own,
 * `rejected/playback/_glue/<key under raw/playback/>/`. The runner overwrites its output folder,
 * so runs of different files (up to ten at once) must not share one; a rerun of the same file
 * replaces its own rejects.
 *
 * @example
 * glueRejectedKey('raw/playback/dt=2025-03-10/a.csv'); // 'rejected/playback/_glue/dt=2025-03-10/a.csv/'
 */
export function glueRejectedKey(inputKey: string, playbackPrefix: string = LAKE_LAYOUT.playback): string {
  return `${GLUE_REJECTED_PREFIX}${underPlayback(inputKey, playbackPrefix)}/`;
}

/**
 * Where a Glue ETL run writes the days its file touched (JSON Lines of `event_date`), for the next
 * aggregation run to pick up: `state/changed-days/<key under raw/playback/>/`. A rerun of the file
 * replaces its own.
 *
 * @example
 * glueChangedDaysKey('raw/playback/dt=2025-03-10/a.csv'); // 'state/changed-days/dt=2025-03-10/a.csv/'
 */
export function glueChangedDaysKey(inputKey: string, playbackPrefix: string = LAKE_LAYOUT.playback): string {
  return `${LAKE_LAYOUT.changedDays}${underPlayback(inputKey, playbackPrefix)}/`;
}

function underPlayback(inputKey: string, playbackPrefix: string): string {
  return inputKey.startsWith(playbackPrefix) ? inputKey.slice(playbackPrefix.length) : inputKey;
}

/**
 * Plans one ETL run (see {@link etlRunFiles}), compiles it (for Spark unless `dialect` says
 * otherwise) and uploads it content-addressed (see {@link uploadRunPlan}); the run starts with
 * `--plan_path` set to the returned `planPath`.
 *
 * @example
 * const { planPath } = await planEtlRun({ lake }, { jobName: 'streampulse-etl', inputKey: 'raw/playback/a.csv' });
 */
export async function planEtlRun(deps: RunPlanDeps, options: EtlRunPlanOptions): Promise<RunPlan> {
  const files = await etlRunFiles(deps, options);
  const settings = options.settings ?? pipelineSettingsSchema.parse({});
  const plan = compileEtlJobPlan(options.dialect ?? SPARK, {
    lakeRoot: lakeUrl(deps.lake.root),
    files,
    settings,
    rejectedKey: glueRejectedKey(options.inputKey, options.playbackPrefix),
    changedDaysKey: glueChangedDaysKey(options.inputKey, options.playbackPrefix),
  });
  return uploadRunPlan(deps, options.jobName, plan);
}

/**
 * The days an aggregation run covers: the `lookbackDays` before `runDate`, then `runDate`,
 * ascending.
 *
 * @example
 * aggregationDays('2025-03-01', 2); // ['2025-02-27', '2025-02-28', '2025-03-01']
 */
export function aggregationDays(runDate: string, lookbackDays: number): string[] {
  // Refused here, not rolled over: Date.parse alone would plan 2025-02-30 as 2025-03-02.
  if (!isCalendarDay(runDate)) {
    throw new RunPlanError('invalid_request', `the run date must be YYYY-MM-DD, got ${runDate}`);
  }
  if (!Number.isInteger(lookbackDays) || lookbackDays < 0) {
    throw new RunPlanError('invalid_request', `lookback days must be a whole number, got ${lookbackDays}`);
  }
  return calendarDays(addDays(runDate, -lookbackDays), runDate);
}

/**
 * What {@link planAggregateRun} plans.
 *
 * @example
 * const options: AggregateRunPlanOptions = { jobName: 'streampulse-aggregate', runDate: '2025-03-14', lookbackDays: 1 };
 */
export interface AggregateRunPlanOptions {
  jobName: string;
  /** YYYY-MM-DD. */
  runDate: string;
  lookbackDays: number;
  /**
   * Also cover every day a Glue ETL run recorded under `state/changed-days/` from this time on
   * (the objects' LastModified): a late file's days are aggregated again whatever the lookback.
   */
  changedSince?: Date;
  /** The engine the plan is for (default SPARK). */
  dialect?: Dialect;
}

/**
 * The days in one changed-days record (Spark's JSON Lines of `event_date`); a line that is not
 * JSON is `RunPlanError` `read_failed` naming `where`.
 *
 * @example
 * changedDaysIn('{"event_date":"2025-03-14"}\n', 's3://lake/state/changed-days/a.csv/part-0.json'); // ['2025-03-14']
 */
export function changedDaysIn(text: string, where: string): string[] {
  const days: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let day: unknown;
    try {
      day = (JSON.parse(line) as { event_date?: unknown }).event_date;
    } catch (error) {
      throw new RunPlanError('read_failed', `${where}: not JSON Lines`, { cause: error });
    }
    if (typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day)) days.push(day);
  }
  return days;
}

/** Spark's part files of a changed-days record (`_SUCCESS` and other names are not). */
export const isChangedDaysPart = (key: string): boolean =>
  /^part-[^/]*\.json$/.test(key.slice(key.lastIndexOf('/') + 1));

/**
 * The days Glue ETL runs recorded under `state/changed-days/` in objects written at or after
 * `since` (Spark's JSON part files; `_SUCCESS` and other names are skipped).
 */
async function changedDays(lake: Lake, since: Date): Promise<string[]> {
  const days = new Set<string>();
  for (const object of await listObjects(lake, LAKE_LAYOUT.changedDays)) {
    if ((object.lastModified ?? new Date(0)) < since || !isChangedDaysPart(object.key)) continue;
    const where = `${lake.root}/${object.key}`;
    for (const day of changedDaysIn(await readText(lake, object.key), where)) days.add(day);
  }
  return [...days];
}

/**
 * Plans one aggregation run over {@link aggregationDays} (and, with `changedSince`, every day a
 * Glue ETL run recorded since then), compiled for Spark and uploaded content-addressed: the same
 * days always give the same `planPath`.
 *
 * @example
 * const { planPath } = await planAggregateRun({ lake }, { jobName: 'streampulse-aggregate', runDate: '2025-03-14', lookbackDays: 1 });
 */
export async function planAggregateRun(
  deps: RunPlanDeps,
  options: AggregateRunPlanOptions,
): Promise<RunPlan> {
  const days = new Set(aggregationDays(options.runDate, options.lookbackDays));
  if (options.changedSince) {
    for (const day of await changedDays(deps.lake, options.changedSince)) days.add(day);
  }
  const plan = compileAggregateJobPlan(options.dialect ?? SPARK, {
    lakeRoot: lakeUrl(deps.lake.root),
    days: [...days].sort(),
  });
  return uploadRunPlan(deps, options.jobName, plan);
}

/**
 * The lake root an aggregation `--output_path` lies in: the URL before `analytics/daily_aggregates/`.
 *
 * @example
 * lakeRootOfOutputPath('s3://lake/prod/analytics/daily_aggregates/'); // 's3://lake/prod'
 */
export function lakeRootOfOutputPath(outputPath: string): string {
  const suffix = LAKE_LAYOUT.dailyEngagement;
  const normalized = outputPath.endsWith('/') ? outputPath : `${outputPath}/`;
  if (!normalized.startsWith('s3://') || !normalized.endsWith(suffix)) {
    throw new RunPlanError('invalid_request', `the output path must be s3://…/${suffix}, got ${outputPath}`);
  }
  return normalized.slice(0, -suffix.length).replace(/\/+$/, '');
}
