import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { classifyKey, csvRawKeys, FileDecodeError, type FileType } from '@streampulse/formats';
import {
  isFileFailure,
  listPlaybackObjects,
  failPlaybackFile,
  OrderedSteps,
  quarantineLine,
  silentLogger,
  type EtlJobOptions,
  type Logger,
  writeQuarantine,
} from '@streampulse/jobs';
import { LakeError, type Lake, type LakeObject } from '@streampulse/lake';
import { LAKE_LAYOUT, REJECTION_REASONS, type ProcessedRow, type RejectionReason } from '@streampulse/schema';
import {
  CONTENT_FIELDS,
  dimensionSql,
  DUCKDB,
  JS_WHITE_SPACE,
  PLAYBACK_FIELDS,
  playbackSql,
  recordFieldsSql,
  USER_FIELDS,
  type RecordSource,
} from '@streampulse/sql';
import {
  RunReportBuilder,
  type CanonicalField,
  type PlaybackFileCounts,
  type RunReport,
} from '@streampulse/transform';
import {
  loadedEtags,
  migrate,
  stageCopyText,
  stageFile as stageRowsInWarehouse,
  type StagedFile,
} from '@streampulse/warehouse';
import type pg from 'pg';
import { fileStats, writeCopyCsv, type FileStats } from './copy-rows.js';
import { DuckdbEtlError } from './errors.js';
import { insertJsonFields } from './json-fields.js';
import { rawObject } from './quarantine.js';
import {
  decodedRecords,
  delimitedWidth,
  distinctKeysets,
  judgeJsonRecords,
  readDelimited,
  readJsonArray,
  readJsonLines,
  type LoadedRecords,
} from './records.js';
import { stageFile, type StagedFile as StagedLakeFile } from './stage-file.js';

/**
 * What a DuckDB ETL run needs: the same as `runEtlJob`'s options, plus where to stage files.
 *
 * @example
 * const options: DuckdbEtlOptions = { lake, pool, settings, scratchDir: '.streampulse/scratch' };
 */
export interface DuckdbEtlOptions extends EtlJobOptions {
  /** Where inflated and downloaded files are staged for DuckDB (default: the OS temp folder). */
  scratchDir?: string;
  /**
   * Records the plan runs over at once (default {@link defaultGroupRows}: one DuckDB row group
   * per core). A group also ends after 64 files. Smaller groups hold less in DuckDB and start
   * loading sooner; a group under a row group per core runs the plan on one thread.
   */
  groupRows?: number;
}

/** Rows in one DuckDB row group: DuckDB runs a scan on one thread per row group. */
const ROW_GROUP_ROWS = 122_880;

/**
 * The default records per plan run: a row group per core, so the plan (the costliest step) runs
 * on every core. Measured on 2 cores: a 138,637-record group (two row groups, one nearly
 * empty) ran the plan on one thread (CPU time equal to wall time).
 *
 * @example
 * defaultGroupRows(); // 245760 on 2 cores
 */
export function defaultGroupRows(): number {
  return Math.max(1, availableParallelism()) * ROW_GROUP_ROWS;
}

// Lenient readings of yyjson (DuckDB's JSON parser) that JSON.parse refuses, or the reverse: a
// record holding one is judged by JSON.parse, and a file where the two disagree is read by the
// reference decoder.
/** A surrogate written as an escape: yyjson's functions refuse a lone one that JSON.parse takes. */
const SURROGATE_ESCAPE_PATTERN = String.raw`\\u[dD][89abAB]`;
const LENIENT_JSON = String.raw`,\s*[}\]]|NaN|Infinity|` + SURROGATE_ESCAPE_PATTERN;
const SURROGATE_ESCAPE = new RegExp(SURROGATE_ESCAPE_PATTERN);
/**
 * A blank JSON line (nothing but JavaScript white space). A line whose first character is not
 * white space is not blank: only the others pay for the trim.
 */
const BLANK_LINE =
  `(body IS NULL OR body = '' OR (unicode(body) IN (${JS_WHITE_SPACE.join(', ')}) AND ` +
  `${DUCKDB.trimCodePoints('body', JS_WHITE_SPACE)} = ''))`;
/** Every playback record of the run in the plan's common shape, then the plan's results. */
const FIELDS = 'playback_fields';
const RESULTS = 'playback_results';

/** Thrown inside the engine when DuckDB's reading of a file cannot be trusted to be the contract's. */
class ReadByReference extends Error {}

const byKey = (a: LakeObject, b: LakeObject): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

async function listed(lake: Lake, prefix: string): Promise<LakeObject[]> {
  const objects: LakeObject[] = [];
  for await (const object of lake.list(prefix)) objects.push(object);
  return objects.sort(byKey);
}

function lakeBytes(lake: Lake, key: string): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      yield* await lake.read(key);
    },
  };
}

/** One run's DuckDB database and scratch folder. */
class Engine {
  #files = 0;
  /** Open `parallel` sections: the thread count changes only at the outermost one. */
  #parallelDepth = 0;

  constructor(
    readonly connection: DuckDBConnection,
    readonly lake: Lake,
    readonly scratch: string,
  ) {}

  async #run<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DuckdbEtlError || isFileFailure(error) || error instanceof LakeError) throw error;
      throw new DuckdbEtlError(
        'duckdb_failed',
        `${what}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  /**
   * A file's records into the `rec` table. DuckDB reads what it can read exactly; a file it
   * refuses, or might read differently, goes through the reference decoder, whose
   * FileDecodeError (the contract's reason) fails the file.
   */
  async records(
    key: string,
    type: FileType,
    table: string,
    staging: Promise<StagedLakeFile> = this.stage(key, type),
  ): Promise<LoadedRecords> {
    const staged = await staging;
    const byReference = (): Promise<LoadedRecords> =>
      this.#run(`reading ${key}`, () =>
        decodedRecords(this.connection, lakeBytes(this.lake, key), type, table),
      );
    const delimited = type.format === 'csv' || type.format === 'tsv';
    if (
      !staged.ok ||
      staged.bomInside ||
      (delimited && staged.unusualQuoting) ||
      (type.format === 'json' && staged.firstChar !== '[' && staged.leadingWhitespace)
    ) {
      return byReference();
    }
    try {
      if (delimited) {
        return await readDelimited(this.connection, staged.path, type.format === 'csv' ? ',' : '\t', table);
      }
      const read = `${table}_read`;
      if (type.format === 'json' && staged.firstChar === '[') {
        await this.#checkWholeText(staged.path);
        await readJsonArray(this.connection, staged.path, read);
      } else {
        await readJsonLines(this.connection, staged.path, read, BLANK_LINE);
      }
      const keysets = await this.parallel(`judging the JSON records of ${key}`, async () => {
        await judgeJsonRecords(this.connection, read, table);
        return this.#checkJsonVerdicts(table);
      });
      return { source: { format: 'json', relation: table }, keysets };
    } catch (error) {
      if (error instanceof LakeError) throw error;
      // DuckDB refused the file, or its reading is not the contract's: the reference decides.
      return byReference();
    }
  }

  /**
   * Runs order-free work (every row carries its file and row number) on every core: the plan
   * and JSON functions are CPU-bound and ran 2-3x faster on two threads than on one (measured on
   * a 1M-session lake). Reading stays on one thread, where DuckDB keeps the file's record order.
   * Sections nest; changing the thread count costs a few milliseconds, so callers open one
   * section around a run of order-free steps rather than one per statement.
   */
  async parallel<T>(what: string, work: () => Promise<T>): Promise<T> {
    return this.#run(what, async () => {
      if (this.#parallelDepth === 0) {
        await this.connection.run(`SET threads = ${Math.max(1, availableParallelism())}`);
      }
      this.#parallelDepth += 1;
      try {
        return await work();
      } finally {
        this.#parallelDepth -= 1;
        if (this.#parallelDepth === 0) await this.connection.run('SET threads = 1');
      }
    });
  }

  /** A file's records into `table` in the plan's common shape (see `recordFieldsSql`). */
  insertFields(
    key: string,
    loaded: LoadedRecords,
    seq: number,
    fields: readonly CanonicalField[],
    table: string,
  ): Promise<void> {
    return this.#run(`reading ${key}`, async () => {
      if (loaded.source.format === 'json') {
        const records = { relation: loaded.source.relation, keysets: loaded.keysets };
        await this.parallel(`reading ${key}`, () =>
          insertJsonFields(this.connection, records, seq, fields, table),
        );
      } else {
        await this.connection.run(
          `INSERT INTO ${table} ${recordFieldsSql(DUCKDB, loaded.source, seq, fields)}`,
        );
      }
    });
  }

  async #checkWholeText(path: string): Promise<void> {
    const result = await this.connection.runAndReadAll(
      `SELECT regexp_matches(content, ${DUCKDB.text(LENIENT_JSON)}) FROM read_text(${DUCKDB.text(path)})`,
    );
    if (result.getRows()[0]?.[0] === true) throw new ReadByReference();
  }

  /**
   * Records DuckDB may judge differently from JSON.parse are judged by JSON.parse too, and key
   * lists are checked for a repeated key (which yyjson and JSON.parse resolve differently).
   * Returns the file's distinct key lists.
   */
  async #checkJsonVerdicts(table: string): Promise<string[][]> {
    // Order-free (each record judged alone): on every core.
    const result = await this.parallel('judging JSON records', () =>
      this.connection.runAndReadAll(
        `SELECT body, NOT malformed FROM ${table} WHERE malformed OR regexp_matches(body, ${DUCKDB.text(LENIENT_JSON)})`,
      ),
    );
    for (const [body, object] of result.getRows() as [string, boolean][]) {
      if (SURROGATE_ESCAPE.test(body)) throw new ReadByReference();
      let parsedObject: boolean;
      try {
        const value: unknown = JSON.parse(body);
        parsedObject = typeof value === 'object' && value !== null && !Array.isArray(value);
      } catch {
        parsedObject = false;
      }
      if (parsedObject !== object) throw new ReadByReference();
    }
    const keysets = await distinctKeysets(this.connection, table);
    if (keysets.some((keys) => new Set(keys).size !== keys.length)) throw new ReadByReference();
    return keysets;
  }

  async dimension(
    kind: 'content' | 'users',
    prefix: string,
    report: RunReportBuilder,
    logger: Logger,
  ): Promise<void> {
    const fields = kind === 'content' ? CONTENT_FIELDS : USER_FIELDS;
    const table = `${kind}_fields`;
    const columns = fields.map((f) => `${f}_t VARCHAR, ${f}_k VARCHAR`).join(', ');
    await this.connection.run(
      `CREATE OR REPLACE TEMP TABLE ${table} (file_seq INTEGER, row_num BIGINT, malformed BOOLEAN, ${columns})`,
    );
    let seq = 0;
    for (const object of await listed(this.lake, prefix)) {
      const kindOfKey = classifyKey(object.key, prefix);
      if (kindOfKey.kind === 'ignored') continue;
      if (kindOfKey.kind === 'unsupported') {
        logger.warn('unsupported file skipped', { key: object.key });
        report.skipped(object.key);
        continue;
      }
      let loaded: LoadedRecords;
      try {
        loaded = await this.records(object.key, kindOfKey.type, 'dim_records');
      } catch (error) {
        if (!(error instanceof FileDecodeError)) throw error;
        logger.warn('dimension file failed; none of its rows are used', {
          key: object.key,
          error: error.message,
        });
        report.failed(object.key, error.message);
        continue;
      }
      await this.insertFields(object.key, loaded, seq++, fields, table);
    }
    const dim = kind === 'content' ? 'dim_content' : 'dim_user';
    await this.#run(`building ${dim}`, () =>
      this.connection.run(
        `CREATE OR REPLACE TEMP TABLE ${dim} AS ${dimensionSql(DUCKDB, kind, `SELECT * FROM ${table}`)}`,
      ),
    );
  }

  /**
   * Inflates and checks a lake file for DuckDB (host work, off DuckDB's thread): a run stages
   * the next file while DuckDB reads the current one.
   */
  stage(key: string, type: FileType): Promise<StagedLakeFile> {
    return stageFile(this.lake, key, type, this.scratch, `f${this.#files++}.${type.format}`);
  }

  /** Rows of a table. */
  async rowsOf(table: string): Promise<number> {
    const result = await this.#run(`counting ${table}`, () =>
      this.connection.runAndReadAll(`SELECT count(*) FROM ${table}`),
    );
    return Number(result.getRows()[0]?.[0] ?? 0);
  }

  /** Every file's counts from the results table. */
  stats(): Promise<Map<number, FileStats>> {
    return this.parallel('counting the results', () => fileStats(this.connection, RESULTS));
  }

  /** One file's valid rows as COPY CSV at `path` (order-free: the rows carry their row number). */
  copyCsv(seq: number, path: string): Promise<void> {
    return this.parallel('writing rows as COPY CSV', () => writeCopyCsv(this.connection, RESULTS, seq, path));
  }

  /** One file's quarantine lines, in file order. */
  async rejectedLines(loaded: LoadedRecords, seq: number, key: string): Promise<string[]> {
    const keys = loaded.source.format === 'delimited' ? csvRawKeys(loaded.source.header) : [];
    const result = await this.#run(`reading the rejected rows of ${key}`, () =>
      this.connection.runAndReadAll(this.fileQuery(loaded, seq, true)),
    );
    return (result.getRows() as ResultRow[]).map((row) =>
      quarantineLine({
        source: key,
        row: Number(row[1]),
        reason: row[0] as RejectionReason,
        raw: rawRecord(loaded, keys, row),
      }),
    );
  }

  /** One file's playback results, in file order, with what the quarantine needs of rejected rows. */
  fileQuery(loaded: LoadedRecords, seq: number, rejectedOnly = false): string {
    const rawColumns = loaded.rawByRow
      ? []
      : loaded.source.format === 'json'
        ? ['r.body']
        : ['r.nfields', ...columnList(loaded.source)];
    // An equality join (a filter in ON would make it a nested loop); raw values only for rejects.
    const raw = rawColumns.map((c) => `, CASE WHEN p.reason IS NOT NULL THEN ${c} END`).join('');
    const join = loaded.rawByRow ? '' : `LEFT JOIN ${loaded.source.relation} AS r ON r.row_num = p.row_num `;
    return (
      `SELECT p.reason, p.row_num, p.session_id, p.user_id, p.content_id, p.title, p.genre, p.region, p.device_type, ` +
      `CAST(p.start_ms AS DOUBLE), CAST(p.end_ms AS DOUBLE), CAST(p.duration_hundredths AS INTEGER), p.event_date, ` +
      `p.orphan_content, p.orphan_user${raw} FROM ${RESULTS} AS p ${join}` +
      `WHERE p.file_seq = ${seq}${rejectedOnly ? ' AND p.reason IS NOT NULL' : ''} ORDER BY p.row_num`
    );
  }
}

/** The c-columns of a delimited records table, as read. */
function columnList(source: RecordSource): string[] {
  if (source.format !== 'delimited') return [];
  return Array.from({ length: delimitedWidth(source.header) }, (_, i) => `r.c${i}`);
}

/** Most read files per group: the plan runs once per group, PostgreSQL loads a group while DuckDB reads the next. */
const GROUP_FILES = 64;

/** What the run found of one playback object. */
type Outcome =
  | { readonly object: LakeObject; readonly status: 'ignored' }
  | { readonly object: LakeObject; readonly status: 'skipped' }
  | { readonly object: LakeObject; readonly status: 'unchanged' }
  | { readonly object: LakeObject; readonly status: 'failed'; readonly error: Error }
  | {
      readonly object: LakeObject;
      readonly status: 'read';
      readonly prepared: PreparedPlayback;
    };

type ResultRow = [
  RejectionReason | null,
  bigint,
  string,
  string,
  string,
  string,
  string,
  string,
  ProcessedRow['device_type'],
  number,
  number,
  number,
  string,
  boolean,
  boolean,
  ...unknown[],
];

/** The raw record of a rejected row, as the reference decoder would have kept it. */
function rawRecord(loaded: LoadedRecords, keys: readonly string[], row: ResultRow): unknown {
  const rowNumber = Number(row[1]);
  if (loaded.rawByRow) return loaded.rawByRow.get(rowNumber);
  const extra = row.slice(15);
  if (loaded.source.format === 'json') {
    const body = extra[0] as string | null;
    if (body === null) return null;
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return body;
    }
  }
  const count = Number(extra[0]);
  const values = (extra.slice(1, 1 + count) as string[]).map((v) => v ?? '');
  return count === loaded.source.header.length ? rawObject(keys, values) : values;
}

/** Opens a run's DuckDB database in a fresh scratch folder, and removes both afterwards. */
async function withEngine<T>(
  lake: Lake,
  scratchDir: string | undefined,
  work: (engine: Engine) => Promise<T>,
): Promise<T> {
  const scratch = await mkdtemp(join(scratchDir ?? tmpdir(), 'streampulse-duckdb-etl-'));
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  try {
    try {
      // One thread by default: readers keep record order (rowid) only on one thread; the
      // order-free heavy steps (the plan, JSON fields) ask for every core (see Engine.parallel).
      // A database file in the scratch folder: a backfill larger than memory spills to disk.
      instance = await DuckDBInstance.create(join(scratch, 'etl.duckdb'), { threads: '1' });
      connection = await instance.connect();
    } catch (error) {
      throw new DuckdbEtlError('duckdb_failed', `cannot start DuckDB: ${String(error)}`, { cause: error });
    }
    return await work(new Engine(connection, lake, scratch));
  } finally {
    connection?.closeSync();
    instance?.closeSync();
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The DuckDB side of a run: every playback object in key order, read files in groups (the plan
 * runs once per group), each group handed to `onGroup` once its files are prepared for loading.
 * `onGroup` may keep the group's scratch files until it calls their `cleanup`.
 */
async function transformPlayback(
  engine: Engine,
  objects: readonly LakeObject[],
  unchanged: (object: LakeObject) => boolean,
  settings: EtlJobOptions['settings'],
  groupRows: number,
  onGroup: (group: readonly Outcome[]) => void | Promise<void>,
): Promise<void> {
  const toRead: { object: LakeObject; type: FileType }[] = [];
  for (const object of objects) {
    const kind = classifyKey(object.key, LAKE_LAYOUT.playback);
    if (kind.kind === 'data' && !unchanged(object)) toRead.push({ object, type: kind.type });
  }
  // The next file is inflated and checked by the host while DuckDB reads the current one.
  const staging = new Map<LakeObject, Promise<StagedLakeFile>>();
  const stageAhead = (index: number): void => {
    const next = toRead[index];
    if (!next || staging.has(next.object)) return;
    const promise = engine.stage(next.object.key, next.type);
    promise.catch(() => undefined); // its error is the file's, met when the file is read
    staging.set(next.object, promise);
  };

  const columns = PLAYBACK_FIELDS.map((f) => `${f}_t VARCHAR, ${f}_k VARCHAR`).join(', ');
  const plan = playbackSql(DUCKDB, `SELECT * FROM ${FIELDS}`, settings, {
    content: 'dim_content',
    users: 'dim_user',
  });
  let group: Outcome[] = [];
  let groupReads: { object: LakeObject; records: LoadedRecords; seq: number; at: number }[] = [];
  const newGroup = async (): Promise<void> => {
    group = [];
    groupReads = [];
    await engine.connection.run(
      `CREATE OR REPLACE TEMP TABLE ${FIELDS} (file_seq INTEGER, row_num BIGINT, malformed BOOLEAN, ${columns})`,
    );
  };
  // The contract over the group's records, then each read file prepared for loading.
  const finishGroup = async (): Promise<void> => {
    if (groupReads.length > 0) {
      // Everything from here to the group's end is order-free (or ordered by ORDER BY): one
      // parallel section.
      await engine.parallel('running the plan', async () => {
        await engine.connection.run(`CREATE OR REPLACE TEMP TABLE ${RESULTS} AS ${plan}`);
        const stats = await engine.stats();
        for (const read of groupReads) {
          const prepared = await preparePlayback(engine, read.records, read.seq, read.object, stats);
          group[read.at] = { object: read.object, status: 'read', prepared };
          await engine.connection.run(`DROP TABLE ${read.records.source.relation}`);
        }
      });
    }
    await onGroup(group);
    await newGroup();
  };
  await newGroup();
  let readIndex = 0;
  let seq = 0;
  for (const object of objects) {
    const kind = classifyKey(object.key, LAKE_LAYOUT.playback);
    if (kind.kind === 'ignored') group.push({ object, status: 'ignored' });
    else if (kind.kind === 'unsupported') group.push({ object, status: 'skipped' });
    else if (unchanged(object)) group.push({ object, status: 'unchanged' });
    else {
      stageAhead(readIndex);
      stageAhead(++readIndex);
      try {
        const records = await engine.records(object.key, kind.type, `records_${seq}`, staging.get(object));
        staging.delete(object);
        await engine.insertFields(object.key, records, seq, PLAYBACK_FIELDS, FIELDS);
        groupReads.push({ object, records, seq, at: group.length });
        group.push({ object, status: 'ignored' }); // replaced once the group's plan has run
        seq += 1;
      } catch (error) {
        if (!isFileFailure(error)) throw error;
        group.push({ object, status: 'failed', error });
      }
      if (groupReads.length >= GROUP_FILES || (await engine.rowsOf(FIELDS)) >= groupRows) await finishGroup();
    }
  }
  await finishGroup();
}

/**
 * The ETL job on DuckDB: the same files, the same report (`RunReport`), the same side effects as
 * `runEtlJob` (ledger, quarantine under `rejected/playback/`, rows loaded through the warehouse's
 * `loadFile` COPY and upsert, so dedupe across files and runs is the same), with the contract
 * applied by the compiled DuckDB SQL of `@streampulse/sql` instead of row-by-row TypeScript.
 * DuckDB reads CSV, TSV, JSON Lines and JSON arrays itself; files it refuses or might read
 * differently from the contract are read by the reference decoder (and fail as it says).
 *
 * @example
 * const report = await runDuckdbEtl({ lake: openLake('./lake'), pool, settings });
 * report.files_failed; // keys of files that could not be read
 */
export async function runDuckdbEtl(options: DuckdbEtlOptions): Promise<RunReport> {
  const { lake, pool, settings, force = false, logger = silentLogger, now = () => new Date() } = options;
  const report = new RunReportBuilder();
  await migrate(pool);
  return withEngine(lake, options.scratchDir, async (engine) => {
    await engine.dimension('content', LAKE_LAYOUT.contentMetadata, report, logger);
    await engine.dimension('users', LAKE_LAYOUT.userProfiles, report, logger);

    const objects = await listPlaybackObjects(lake, options.inputs);
    const loaded = force ? new Map<string, string>() : await loadedEtags(pool);

    // Groups go to PostgreSQL while DuckDB reads the next group (staging a file while the
    // previous merges and commits). Commits and report entries stay in ascending key order,
    // each file its own transaction, as the default engine.
    let filesDone = 0;
    let rowsRead = 0;
    const steps = new OrderedSteps();
    let stopped = false;
    const loadOne = async (outcome: Outcome): Promise<void> => {
      const { object } = outcome;
      filesDone += 1;
      if (stopped || outcome.status === 'ignored') return;
      if (outcome.status === 'skipped') {
        return steps.queue(async () => {
          logger.warn('unsupported file skipped', { key: object.key });
          report.skipped(object.key);
        });
      }
      if (outcome.status === 'unchanged') return steps.queue(async () => report.unchanged(object.key));
      const failed = (error: Error): Promise<void> =>
        steps.queue(() => failPlaybackFile({ pool, logger, report, now }, object, error.message));
      if (outcome.status === 'failed') return failed(outcome.error);
      let staged: StagedPlayback;
      try {
        staged = await stagePrepared(outcome.prepared, object, pool, now);
      } catch (error) {
        // A value PostgreSQL cannot store fails the file alone, as in the default engine.
        if (!isFileFailure(error)) throw error;
        return failed(error);
      }
      const progress = { filesDone, filesTotal: objects.length, currentFile: object.key };
      await steps
        .queue(async () => {
          const result = await staged.file.commit();
          await outcome.prepared.cleanup();
          await writeQuarantine(lake, object.key, outcome.prepared.quarantine);
          const { counts } = outcome.prepared;
          rowsRead += counts.rowsRead;
          report.loaded(object.key, counts, result.rowsLoaded, counts.rowsValid - result.rowsLoaded);
          logger.info('file loaded', {
            key: object.key,
            rows: counts.rowsRead,
            loaded: result.rowsLoaded,
            rejected: counts.rowsRejected,
          });
          options.onProgress?.({ ...progress, rowsRead });
        })
        .catch(async (error: unknown) => {
          await staged.file.abort();
          throw error;
        });
    };
    let loader: Promise<void> = Promise.resolve();
    let loaderFailure: { error: unknown } | undefined;
    const load = (group: readonly Outcome[]): void => {
      if (loaderFailure) throw loaderFailure.error;
      loader = loader.then(async () => {
        for (const outcome of group) await loadOne(outcome);
      });
      loader.catch((error: unknown) => {
        loaderFailure ??= { error };
      });
    };
    try {
      await transformPlayback(
        engine,
        objects,
        (o) => loaded.get(o.key) === o.etag,
        settings,
        options.groupRows ?? defaultGroupRows(),
        load,
      );
      await loader;
      await steps.drain();
    } catch (error) {
      stopped = true;
      await loader.catch(() => undefined);
      await steps.settle();
      throw error;
    }
    return report.build();
  });
}

/**
 * What {@link runDuckdbTransform} read: the DuckDB engine's decode and transform figures.
 *
 * @example
 * const summary: DuckdbTransformSummary = { files_read: 30, files_failed: [], rows_read: 1001261, rows_valid: 991177, rows_rejected: 10084 };
 */
export interface DuckdbTransformSummary {
  readonly files_read: number;
  readonly files_failed: readonly string[];
  readonly rows_read: number;
  readonly rows_valid: number;
  readonly rows_rejected: number;
}

/**
 * The DuckDB engine's work without PostgreSQL: reads every playback file (and the dimensions),
 * runs the compiled contract, and writes each file's valid rows as COPY CSV and its quarantine
 * lines to scratch, then discards them. Writes nothing to the lake or a database; it is what the
 * benchmark times as the engine's decode and transform. A value PostgreSQL cannot store (a NUL
 * character) fails its file only when loaded, so such a file counts as read here.
 *
 * @example
 * const summary = await runDuckdbTransform({ lake: openLake('./lake'), settings });
 * summary.rows_rejected; // rows that would be quarantined
 */
export async function runDuckdbTransform(
  options: Pick<DuckdbEtlOptions, 'lake' | 'settings' | 'inputs' | 'logger' | 'scratchDir' | 'groupRows'>,
): Promise<DuckdbTransformSummary> {
  const { lake, settings, logger = silentLogger } = options;
  const report = new RunReportBuilder();
  const summary = {
    files_read: 0,
    files_failed: [] as string[],
    rows_read: 0,
    rows_valid: 0,
    rows_rejected: 0,
  };
  await withEngine(lake, options.scratchDir, async (engine) => {
    await engine.dimension('content', LAKE_LAYOUT.contentMetadata, report, logger);
    await engine.dimension('users', LAKE_LAYOUT.userProfiles, report, logger);
    // Dimension files that failed come first, as in the ETL's report.
    summary.files_failed.push(...report.build().files_failed);
    const objects = await listPlaybackObjects(lake, options.inputs);
    await transformPlayback(
      engine,
      objects,
      () => false,
      settings,
      options.groupRows ?? defaultGroupRows(),
      async (group) => {
        for (const outcome of group) {
          if (outcome.status === 'failed') summary.files_failed.push(outcome.object.key);
          if (outcome.status !== 'read') continue;
          const { counts } = outcome.prepared;
          summary.files_read += 1;
          summary.rows_read += counts.rowsRead;
          summary.rows_valid += counts.rowsValid;
          summary.rows_rejected += counts.rowsRejected;
          await outcome.prepared.cleanup();
        }
      },
    );
  });
  return summary;
}

/** One playback file staged in its own transaction, waiting for its turn to commit. */
interface StagedPlayback {
  readonly file: StagedFile;
}

/** One file's share of the plan's results, ready to load without DuckDB. */
interface PreparedPlayback {
  readonly counts: PlaybackFileCounts;
  readonly quarantine: readonly string[];
  /** The valid rows: COPY CSV at a scratch path, or (see `copy-rows.ts`) row objects. */
  readonly rows: { readonly copyCsv: string } | { readonly batches: readonly ProcessedRow[][] };
  /** Removes the file's scratch COPY CSV. */
  cleanup(): Promise<void>;
}

const NO_ROWS: PlaybackFileCounts = {
  rowsRead: 0,
  rowsValid: 0,
  rowsRejected: 0,
  rejectedByReason: {},
  orphanContent: 0,
  orphanUser: 0,
};

/**
 * Takes one file's results out of DuckDB: its valid rows as COPY CSV written by DuckDB (no row
 * object), or, when some value needs the warehouse's own checks (see `copy-rows.ts`), as row
 * objects; and its quarantine lines.
 */
async function preparePlayback(
  engine: Engine,
  records: LoadedRecords,
  seq: number,
  object: LakeObject,
  stats: ReadonlyMap<number, FileStats>,
): Promise<PreparedPlayback> {
  const found = stats.get(seq) ?? { counts: NO_ROWS, unusual: false };
  if (found.unusual) return prepareRows(engine, records, seq, object);
  const quarantine = await engine.rejectedLines(records, seq, object.key);
  const path = join(engine.scratch, `rows-${seq}.csv`);
  const cleanup = (): Promise<void> => rm(path, { force: true });
  try {
    await engine.copyCsv(seq, path);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { counts: found.counts, quarantine, rows: { copyCsv: path }, cleanup };
}

/** Stages a prepared file in its own transaction (PostgreSQL only). */
async function stagePrepared(
  prepared: PreparedPlayback,
  object: LakeObject,
  pool: pg.Pool,
  now: () => Date,
): Promise<StagedPlayback> {
  const { counts, rows } = prepared;
  const load = {
    key: object.key,
    etag: object.etag,
    size: object.size,
    rowsRead: counts.rowsRead,
    rowsRejected: counts.rowsRejected,
  };
  try {
    const file =
      'copyCsv' in rows
        ? await stageCopyText(
            pool,
            { ...load, copyText: createReadStream(rows.copyCsv, { highWaterMark: 1 << 20 }), format: 'csv' },
            { now },
          )
        : await stageRowsInWarehouse(pool, { ...load, rows: batchesOf(rows.batches) }, { now });
    return { file };
  } catch (error) {
    await prepared.cleanup();
    throw error;
  }
}

async function* batchesOf(batches: readonly ProcessedRow[][]): AsyncIterable<ProcessedRow[]> {
  yield* batches;
}

/** The row-object path: every valid row, later, through the warehouse's `copyLine`. */
async function prepareRows(
  engine: Engine,
  records: LoadedRecords,
  seq: number,
  object: LakeObject,
): Promise<PreparedPlayback> {
  const counts: PlaybackFileCounts = {
    rowsRead: 0,
    rowsValid: 0,
    rowsRejected: 0,
    rejectedByReason: {},
    orphanContent: 0,
    orphanUser: 0,
  };
  const quarantine: string[] = [];
  const batches: ProcessedRow[][] = [];
  const keys = records.source.format === 'delimited' ? csvRawKeys(records.source.header) : [];
  const sql = engine.fileQuery(records, seq);
  let result;
  try {
    result = await engine.connection.stream(sql);
  } catch (error) {
    throw new DuckdbEtlError('duckdb_failed', `running the plan over ${object.key}: ${String(error)}`, {
      cause: error,
    });
  }
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const batch: ProcessedRow[] = [];
    for (const row of chunk.getRows() as ResultRow[]) {
      counts.rowsRead += 1;
      const reason = row[0];
      if (reason !== null) {
        counts.rowsRejected += 1;
        counts.rejectedByReason[reason] = (counts.rejectedByReason[reason] ?? 0) + 1;
        quarantine.push(
          quarantineLine({
            source: object.key,
            row: Number(row[1]),
            reason,
            raw: rawRecord(records, keys, row),
          }),
        );
        continue;
      }
      counts.rowsValid += 1;
      if (row[13]) counts.orphanContent += 1;
      if (row[14]) counts.orphanUser += 1;
      batch.push({
        session_id: row[2],
        user_id: row[3],
        content_id: row[4],
        title: row[5],
        genre: row[6],
        region: row[7],
        device_type: row[8],
        start_time: row[9],
        end_time: row[10],
        duration_min: row[11] / 100,
        event_date: row[12],
      });
    }
    if (batch.length > 0) batches.push(batch);
  }
  // Reasons in the contract's order, as the reference counts them.
  const ordered: Partial<Record<RejectionReason, number>> = {};
  for (const reason of REJECTION_REASONS) {
    const count = counts.rejectedByReason[reason];
    if (count) ordered[reason] = count;
  }
  return {
    counts: { ...counts, rejectedByReason: ordered },
    quarantine,
    rows: { batches },
    cleanup: () => Promise.resolve(),
  };
}
