import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { classifyKey, FileDecodeError, type FileType } from '@streampulse/formats';
import { EtlJobError, silentLogger, type EtlProgress, type Logger } from '@streampulse/jobs';
import { LakeError, type Lake, type LakeObject } from '@streampulse/lake';
import {
  LAKE_LAYOUT,
  REJECTION_REASONS,
  type PipelineSettings,
  type ProcessedRow,
  type RejectionReason,
} from '@streampulse/schema';
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
import { RunReportBuilder, type PlaybackFileCounts, type RunReport } from '@streampulse/transform';
import { loadedEtags, loadFile, migrate, recordFileFailure } from '@streampulse/warehouse';
import type pg from 'pg';
import { DuckdbEtlError } from './errors.js';
import { quarantineLine, rawKeys, rawObject, writeQuarantine } from './quarantine.js';
import {
  decodedRecords,
  delimitedWidth,
  readDelimited,
  readJsonArray,
  readJsonLines,
  type LoadedRecords,
} from './records.js';
import { stageFile } from './stage-file.js';

/**
 * What a DuckDB ETL run needs: the same as `runEtlJob`'s options, plus where to stage files.
 *
 * @example
 * const options: DuckdbEtlOptions = { lake, pool, settings, scratchDir: '.streampulse/scratch' };
 */
export interface DuckdbEtlOptions {
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
  /** Where inflated and downloaded files are staged for DuckDB (default: the OS temp folder). */
  scratchDir?: string;
}

// Lenient readings of yyjson (DuckDB's JSON parser) that JSON.parse refuses, or the reverse: a
// record holding one is judged by JSON.parse, and a file where the two disagree is read by the
// reference decoder.
const LENIENT_JSON = String.raw`,\s*[}\]]|NaN|Infinity|\\u[dD][89abAB]`;
const BLANK = DUCKDB.trimCodePoints('body', JS_WHITE_SPACE);
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

async function playbackObjects(lake: Lake, inputs: readonly string[] | undefined): Promise<LakeObject[]> {
  if (!inputs) return listed(lake, LAKE_LAYOUT.playback);
  const objects: LakeObject[] = [];
  for (const key of inputs) {
    if (!key.startsWith(LAKE_LAYOUT.playback)) {
      throw new EtlJobError(`input ${key} is not under ${LAKE_LAYOUT.playback}`, 'input_outside_playback');
    }
    const object = await lake.stat(key);
    if (!object) throw new EtlJobError(`input ${key} not found in lake ${lake.root}`, 'input_not_found');
    objects.push(object);
  }
  return objects.sort(byKey);
}

function isFileFailure(error: unknown): error is Error {
  return error instanceof FileDecodeError || (error instanceof LakeError && error.code !== 'access_denied');
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
  async records(key: string, type: FileType, table: string): Promise<LoadedRecords> {
    const name = `f${this.#files++}.${type.format}`;
    const staged = await stageFile(this.lake, key, type, this.scratch, name);
    const byReference = (): Promise<LoadedRecords> =>
      this.#run(`reading ${key}`, () =>
        decodedRecords(this.connection, lakeBytes(this.lake, key), type, table),
      );
    const delimited = type.format === 'csv' || type.format === 'tsv';
    if (!staged.ok || (delimited && staged.unusualQuoting)) return byReference();
    try {
      if (delimited) {
        return await readDelimited(this.connection, staged.path, type.format === 'csv' ? ',' : '\t', table);
      }
      let loaded: LoadedRecords;
      if (type.format === 'json' && staged.firstChar === '[') {
        await this.#checkWholeText(staged.path);
        loaded = await readJsonArray(this.connection, staged.path, table);
      } else {
        loaded = await readJsonLines(this.connection, staged.path, table, BLANK);
      }
      await this.#checkJsonVerdicts(table);
      return loaded;
    } catch (error) {
      if (error instanceof LakeError) throw error;
      // DuckDB refused the file, or its reading is not the contract's: the reference decides.
      return byReference();
    }
  }

  async #checkWholeText(path: string): Promise<void> {
    const result = await this.connection.runAndReadAll(
      `SELECT regexp_matches(content, ${DUCKDB.text(LENIENT_JSON)}) FROM read_text(${DUCKDB.text(path)})`,
    );
    if (result.getRows()[0]?.[0] === true) throw new ReadByReference();
  }

  /** Records DuckDB may judge differently from JSON.parse are judged by JSON.parse too. */
  async #checkJsonVerdicts(table: string): Promise<void> {
    const object = DUCKDB.jsonIsObject('body');
    const result = await this.connection.runAndReadAll(
      `SELECT body, ${object} AS object, CASE WHEN ${object} THEN len(json_keys(body)) <> len(list_distinct(json_keys(body))) ` +
        `ELSE false END AS repeated FROM ${table} WHERE NOT ${object} OR regexp_matches(body, ${DUCKDB.text(LENIENT_JSON)}) ` +
        `OR (${object} AND len(json_keys(body)) <> len(list_distinct(json_keys(body))))`,
    );
    for (const [body, object, repeated] of result.getRows() as [string, boolean, boolean][]) {
      if (repeated) throw new ReadByReference();
      let parsedObject: boolean;
      try {
        const value: unknown = JSON.parse(body);
        parsedObject = typeof value === 'object' && value !== null && !Array.isArray(value);
      } catch {
        parsedObject = false;
      }
      if (parsedObject !== object) throw new ReadByReference();
    }
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
      await this.#run(`reading ${object.key}`, () =>
        this.connection.run(`INSERT INTO ${table} ${recordFieldsSql(DUCKDB, loaded.source, seq++, fields)}`),
      );
    }
    const dim = kind === 'content' ? 'dim_content' : 'dim_user';
    await this.#run(`building ${dim}`, () =>
      this.connection.run(
        `CREATE OR REPLACE TEMP TABLE ${dim} AS ${dimensionSql(DUCKDB, kind, `SELECT * FROM ${table}`)}`,
      ),
    );
  }

  /** One file's playback results, in file order, with what the quarantine needs of rejected rows. */
  fileQuery(loaded: LoadedRecords, seq: number): string {
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
      `WHERE p.file_seq = ${seq} ORDER BY p.row_num`
    );
  }
}

/** The c-columns of a delimited records table, as read. */
function columnList(source: RecordSource): string[] {
  if (source.format !== 'delimited') return [];
  return Array.from({ length: delimitedWidth(source.header) }, (_, i) => `r.c${i}`);
}

/** What phase 1 found of one playback object. */
type Outcome =
  | { readonly object: LakeObject; readonly status: 'ignored' }
  | { readonly object: LakeObject; readonly status: 'skipped' }
  | { readonly object: LakeObject; readonly status: 'unchanged' }
  | { readonly object: LakeObject; readonly status: 'failed'; readonly error: Error }
  | {
      readonly object: LakeObject;
      readonly status: 'read';
      readonly records: LoadedRecords;
      readonly seq: number;
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
  const scratch = await mkdtemp(join(options.scratchDir ?? tmpdir(), 'streampulse-duckdb-etl-'));
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  try {
    try {
      // One thread: the plan is regex-heavy and RE2's shared caches make a second thread slower
      // (measured), and the other core is busy with COPY into PostgreSQL meanwhile.
      // A database file in the scratch folder: a backfill larger than memory spills to disk.
      instance = await DuckDBInstance.create(join(scratch, 'etl.duckdb'), { threads: '1' });
      connection = await instance.connect();
    } catch (error) {
      throw new DuckdbEtlError('duckdb_failed', `cannot start DuckDB: ${String(error)}`, { cause: error });
    }
    const engine = new Engine(connection, lake, scratch);
    await engine.dimension('content', LAKE_LAYOUT.contentMetadata, report, logger);
    await engine.dimension('users', LAKE_LAYOUT.userProfiles, report, logger);

    const objects = await playbackObjects(lake, options.inputs);
    const loaded = force ? new Map<string, string>() : await loadedEtags(pool);
    const columns = PLAYBACK_FIELDS.map((f) => `${f}_t VARCHAR, ${f}_k VARCHAR`).join(', ');
    await connection.run(
      `CREATE TEMP TABLE ${FIELDS} (file_seq INTEGER, row_num BIGINT, malformed BOOLEAN, ${columns})`,
    );

    // 1. Every file read (or failed), its records in the common shape: the plan then runs once
    // for the whole run, not once per file.
    const outcomes: Outcome[] = [];
    for (const object of objects) {
      const kind = classifyKey(object.key, LAKE_LAYOUT.playback);
      if (kind.kind === 'ignored') outcomes.push({ object, status: 'ignored' });
      else if (kind.kind === 'unsupported') outcomes.push({ object, status: 'skipped' });
      else if (loaded.get(object.key) === object.etag) outcomes.push({ object, status: 'unchanged' });
      else {
        const seq = outcomes.length;
        try {
          const records = await engine.records(object.key, kind.type, `records_${seq}`);
          await connection.run(
            `INSERT INTO ${FIELDS} ${recordFieldsSql(DUCKDB, records.source, seq, PLAYBACK_FIELDS)}`,
          );
          outcomes.push({ object, status: 'read', records, seq });
        } catch (error) {
          if (!isFileFailure(error)) throw error;
          outcomes.push({ object, status: 'failed', error });
        }
      }
    }

    // 2. The contract, once.
    const plan = playbackSql(DUCKDB, `SELECT * FROM ${FIELDS}`, settings, {
      content: 'dim_content',
      users: 'dim_user',
    });
    await connection.run(`CREATE TEMP TABLE ${RESULTS} AS ${plan}`);

    // 3. File by file, in key order, as the default engine: each its own transaction.
    let filesDone = 0;
    let rowsRead = 0;
    for (const outcome of outcomes) {
      const { object } = outcome;
      filesDone += 1;
      if (outcome.status === 'ignored') continue;
      if (outcome.status === 'skipped') {
        logger.warn('unsupported file skipped', { key: object.key });
        report.skipped(object.key);
        continue;
      }
      if (outcome.status === 'unchanged') {
        report.unchanged(object.key);
        continue;
      }
      if (outcome.status === 'failed') {
        const message = outcome.error.message;
        await recordFileFailure(
          pool,
          { key: object.key, etag: object.etag, size: object.size, error: message },
          { now },
        );
        logger.warn('file failed; none of its rows were loaded', { key: object.key, error: message });
        report.failed(object.key, message);
        continue;
      }
      const counts = await loadPlayback(engine, outcome.records, outcome.seq, object, pool, now, lake);
      await connection.run(`DROP TABLE ${outcome.records.source.relation}`);
      rowsRead += counts.rowsRead;
      report.loaded(object.key, counts, counts.rowsLoaded, counts.rowsValid - counts.rowsLoaded);
      logger.info('file loaded', {
        key: object.key,
        rows: counts.rowsRead,
        loaded: counts.rowsLoaded,
        rejected: counts.rowsRejected,
      });
      options.onProgress?.({ filesDone, filesTotal: objects.length, currentFile: object.key, rowsRead });
    }
    return report.build();
  } finally {
    connection?.closeSync();
    instance?.closeSync();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function loadPlayback(
  engine: Engine,
  records: LoadedRecords,
  seq: number,
  object: LakeObject,
  pool: pg.Pool,
  now: () => Date,
  lake: Lake,
): Promise<PlaybackFileCounts & { rowsLoaded: number }> {
  const counts: PlaybackFileCounts = {
    rowsRead: 0,
    rowsValid: 0,
    rowsRejected: 0,
    rejectedByReason: {},
    orphanContent: 0,
    orphanUser: 0,
  };
  const quarantine: string[] = [];
  const keys = records.source.format === 'delimited' ? rawKeys(records.source.header) : [];
  const sql = engine.fileQuery(records, seq);
  async function* rows(): AsyncIterable<ProcessedRow[]> {
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
      if (!chunk || chunk.rowCount === 0) return;
      const batch: ProcessedRow[] = [];
      for (const row of chunk.getRows() as ResultRow[]) {
        counts.rowsRead += 1;
        const reason = row[0];
        if (reason !== null) {
          counts.rowsRejected += 1;
          counts.rejectedByReason[reason] = (counts.rejectedByReason[reason] ?? 0) + 1;
          quarantine.push(quarantineLine(object.key, Number(row[1]), reason, rawRecord(records, keys, row)));
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
      if (batch.length > 0) yield batch;
    }
  }
  const result = await loadFile(
    pool,
    {
      key: object.key,
      etag: object.etag,
      size: object.size,
      rows: rows(),
      get rowsRead() {
        return counts.rowsRead;
      },
      get rowsRejected() {
        return counts.rowsRejected;
      },
    },
    { now },
  );
  await writeQuarantine(lake, object.key, quarantine);
  // Reasons in the contract's order, as the reference counts them.
  const ordered: Partial<Record<RejectionReason, number>> = {};
  for (const reason of REJECTION_REASONS) {
    const count = counts.rejectedByReason[reason];
    if (count) ordered[reason] = count;
  }
  return { ...counts, rejectedByReason: ordered, rowsLoaded: result.rowsLoaded };
}
