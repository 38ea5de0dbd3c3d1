import { csvRawKeys } from '@streampulse/formats';
import {
  DAILY_ACTIVE_USERS_COLUMNS,
  DAILY_ENGAGEMENT_COLUMNS,
  aggregateObjectKey,
  LAKE_LAYOUT,
  PROCESSED_COLUMNS,
  WAREHOUSE_TABLES,
  type AggregateTable,
  type ColumnSpec,
  type PipelineSettings,
} from '@streampulse/schema';
import { compileAggregateSql, type AggregateSql } from './aggregate-sql.js';
import type { Dialect, UnreadableFile } from './dialect.js';
import { SqlPlanError } from './errors.js';
import { JS_WHITE_SPACE } from './patterns.js';
import { LOAD_LOCK_SQL, mergeStagedRowsSql } from './warehouse/merge.js';
import { migrationSteps } from './warehouse/migrations.js';
import {
  CONTENT_FIELDS,
  dedupeSql,
  dimensionSql,
  PLAYBACK_FIELDS,
  playbackSql,
  processedColumnsSql,
  recordFieldsSql,
  USER_FIELDS,
  type RecordSource,
} from './etl-plan.js';

// A job plan is everything a generic runner needs, as JSON: which files to read into which views
// (with reader options that are plain data), the SQL statements to run in order, and where the
// results go. The runner knows no rule of the contract; the plan carries them as SQL.

/**
 * Plan format version; a runner refuses a plan it does not know.
 *
 * @example
 * if (plan.version !== JOB_PLAN_VERSION) throw new Error('unknown plan');
 */
export const JOB_PLAN_VERSION = 3;

/**
 * How a runner reads one input into a view: `wholetext` (one row per file, column `value`: the
 * plan splits the text into records itself, so no reader's CSV or line rules decide them), or
 * `jdbc` (a query run in the warehouse, filters pushed down).
 *
 * @example
 * const input: JobInput = { view: 'in_0', reader: 'wholetext', path: 's3://lake/raw/playback/a.jsonl' };
 */
export type JobInput =
  | { readonly view: string; readonly reader: 'wholetext'; readonly path: string }
  | { readonly view: string; readonly reader: 'jdbc'; readonly query: string };

/**
 * One SQL statement whose result becomes the temporary view `view`.
 *
 * @example
 * const statement: JobStatement = { view: 'dim_user', sql: 'SELECT ...' };
 */
export interface JobStatement {
  readonly view: string;
  readonly sql: string;
}

/**
 * Stands for the run's own id in a `jdbc` output's `table` and `after` statements: the runner puts
 * a fresh id in its place, so runs at once never share a staging table.
 *
 * @example
 * plan.outputs[0].table; // 'processed.glue_staging_{run_id}'
 */
export const RUN_ID_TOKEN = '{run_id}';

/**
 * Where a view's rows go: into a warehouse staging table (`jdbc`: the `before` statements run in
 * one transaction, the runner creates `table` with the view's rows, the `after` statements run in
 * one transaction, and the runner drops the table whether or not they succeeded; `{run_id}`, see
 * {@link RUN_ID_TOKEN}); one Parquet object (written whole, then moved to `path`); JSON lines in a
 * folder; or text lines in a folder (the view's one column, `line`, each row's whole line).
 *
 * @example
 * const output: JobOutput = { kind: 'parquet', view: 'daily_engagement_0', path: 's3://lake/analytics/.../part-0.parquet' };
 */
export type JobOutput =
  | {
      readonly kind: 'jdbc';
      readonly view: string;
      readonly table: string;
      readonly before: readonly string[];
      readonly after: readonly string[];
    }
  | { readonly kind: 'parquet'; readonly view: string; readonly path: string }
  | { readonly kind: 'json' | 'lines'; readonly view: string; readonly path: string };

/**
 * A job for a generic runner (see `apps/glue-launcher/glue/runner.py`).
 *
 * @example
 * const plan: JobPlan = compileEtlJobPlan(SPARK, { lakeRoot: 's3://lake', files, settings });
 * JSON.stringify(plan); // uploaded under scripts/glue/
 */
export interface JobPlan {
  readonly version: number;
  readonly job: 'etl' | 'aggregate';
  readonly dialect: string;
  readonly inputs: readonly JobInput[];
  readonly statements: readonly JobStatement[];
  readonly outputs: readonly JobOutput[];
}

/**
 * One raw file of an ETL job: its lake key, format, and for CSV/TSV the header the launcher read
 * (the plan folds it); for `.json`, whether it holds an array.
 *
 * @example
 * const file: JobFile = { key: 'raw/playback/a.csv', dataset: 'playback', format: 'csv', header: ['session_id'] };
 */
export interface JobFile {
  readonly key: string;
  readonly dataset: 'playback' | 'content' | 'users';
  readonly format: 'csv' | 'tsv' | 'jsonl' | 'json-array';
  readonly header?: readonly string[];
}

/**
 * What an ETL job plan is compiled from.
 *
 * @example
 * const options: EtlJobPlanOptions = { lakeRoot: 's3://lake', files, settings };
 */
export interface EtlJobPlanOptions {
  /** `s3://bucket[/prefix]`: file paths are the root joined with each key. */
  readonly lakeRoot: string;
  /** Files of every dataset, in ascending key order within each dataset. */
  readonly files: readonly JobFile[];
  readonly settings: PipelineSettings;
  /**
   * Folder key for the rejected rows, as the quarantine's JSON lines (source, row, reason, raw
   * record); default `rejected/playback/_glue/`.
   */
  readonly rejectedKey?: string;
  /**
   * Folder key for the event dates of the run's processed rows (JSON Lines, `event_date` as
   * YYYY-MM-DD): the days this run may have changed, for an aggregation run to pick up. Without
   * it no such output is written.
   */
  readonly changedDaysKey?: string;
}

const BOM = 0xfeff;

function joinPath(root: string, key: string): string {
  return `${root.replace(/\/+$/, '')}/${key}`;
}

/**
 * A CSV/TSV file's records, read by the contract's rules in SQL from the file's whole text: each
 * match of one pattern is a field (quoted, `""` inside; or unquoted, not starting with a quote)
 * and what ends it (the delimiter, a line end or the end of the text). Matches must cover the
 * text; a gap is a quoting error (a quote left open, text after a closing quote): the file cannot
 * be read, which stops the run (`fail`, a playback file: the run is that file's) or leaves the
 * file without records (`empty`, a dimension file: none of its rows are used). A line with nothing
 * on it is skipped; the first record left is the header (row 0), the rest are numbered from 1.
 * Columns `row_num`, `nfields`, `c0`.., `raw_fields`.
 */
function delimitedRecordsSql(
  d: Dialect,
  whole: string,
  file: { key: string; delimiter: ',' | '\t'; width: number; unreadable: UnreadableFile },
): string {
  const { key, delimiter, width } = file;
  const D = delimiter;
  const pattern = d.text(String.raw`("[^"]*(?:""[^"]*)*"|[^"${D}\r\n][^${D}\r\n]*|)(${D}|\r\n|\r|\n|$)`);
  const tokens = d.regexpTokens('value', whole, pattern);
  const delim = d.text(D);
  // A match at the very end with nothing in it closes nothing (the text's last line already
  // ended), unless it follows a delimiter: then it is the record's last, empty field.
  const kept =
    `SELECT i, field, term FROM (SELECT i, field, term, lag(term) OVER (ORDER BY i) AS before FROM (${tokens}) AS t) AS b ` +
    `WHERE NOT (field = '' AND term = '' AND coalesce(before, '') <> ${delim})`;
  const numberedTokens =
    `SELECT i, field, coalesce(sum(CASE WHEN term = ${delim} THEN 0 ELSE 1 END) ` +
    `OVER (ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS rec FROM (${kept}) AS k`;
  const value = `CASE WHEN substr(field, 1, 1) = '"' THEN replace(substr(field, 2, length(field) - 2), '""', '"') ELSE field END`;
  const records =
    `SELECT rec, count(*) AS nfields, min(field) AS first_field, ${d.orderedList(value, 'i')} AS fields ` +
    `FROM (${numberedTokens}) AS n GROUP BY rec`;
  // Scalar subqueries, not a join of two relations: an engine computes a scalar subquery once,
  // while Spark 3.5 re-ran the tokenizer of a joined relation for every record, which made a
  // 33,000-row file take minutes (quadratic in the file's size; 30x faster at 16,000 rows).
  // An empty file is no row at all to Spark's whole-text reader: both are then 0, not NULL.
  const covered = `coalesce((SELECT sum(length(field) + length(term)) FROM (${tokens}) AS t), 0)`;
  const total = `coalesce((SELECT length(value) FROM ${whole}), 0)`;
  const quotingError =
    file.unreadable === 'fail'
      ? d.raiseError(`${key}: a quote left open or text after a closing quote`, 'check_.total')
      : 'false';
  // The check joins the records from the right, so it is met even by a text with no record.
  const numbered =
    `SELECT row_number() OVER (ORDER BY rec) - 1 AS row_num, nfields, fields FROM (${records}) AS r ` +
    `RIGHT JOIN (SELECT ${covered} AS covered, ${total} AS total) AS check_ ON true ` +
    `WHERE CASE WHEN check_.covered = check_.total THEN r.rec IS NOT NULL AND NOT (nfields = 1 AND first_field = '') ` +
    `ELSE ${quotingError} END`;
  const columns = Array.from({ length: width }, (_, i) => `${d.listItem('fields', i + 1)} AS c${i}`).join(
    ', ',
  );
  return `(SELECT row_num, nfields, ${columns}, ${d.jsonTextList('fields')} AS raw_fields FROM (${numbered}) AS numbered WHERE row_num > 0)`;
}

/** The records relation of one input, in the shape `recordFieldsSql` reads. */
function recordsOf(d: Dialect, file: JobFile, view: string): RecordSource {
  // Files are read whole and split here, so the contract, not a runner's reader, decides what a
  // line, a field and a record are, and that a leading BOM is dropped.
  const withoutBom = d.replaceAll('value', `^${d.codePointClass([BOM])}`, '');
  const whole = `(SELECT ${withoutBom} AS value FROM ${view}) AS whole`;
  // A playback file's run is that file's, so a file that cannot be read fails it; a dimension file
  // rides along in every run, so it only loses its rows, as the contract has it.
  const unreadable: UnreadableFile = file.dataset === 'playback' ? 'fail' : 'empty';
  if (file.format === 'csv' || file.format === 'tsv') {
    const header = file.header ?? [];
    const width = Math.max(header.length, 1) + 1;
    const relation = delimitedRecordsSql(d, whole, {
      key: file.key,
      delimiter: file.format === 'csv' ? ',' : '\t',
      width,
      unreadable,
    });
    return { format: 'delimited', relation, header };
  }
  if (file.format === 'jsonl') {
    const blank = d.trimCodePoints('line', JS_WHITE_SPACE);
    const numbered = `SELECT row_number() OVER (ORDER BY n) AS row_num, line AS body, CAST(NULL AS ${d.types.boolean}) AS malformed FROM (${d.splitLines('value', whole)}) AS lines WHERE ${blank} <> ''`;
    return { format: 'json', relation: `(${numbered})` };
  }
  return {
    format: 'json',
    relation: `(SELECT row_num, body, CAST(NULL AS ${d.types.boolean}) AS malformed FROM (${d.jsonArrayRecords('value', whole, unreadable)}) AS e)`,
  };
}

/**
 * Each record of one file as the quarantine keeps it, as JSON text: a CSV record whose field count
 * is the header's as an object under the reference decoder's keys (`csvRawKeys`), any other as the
 * array of its fields; a JSON record as its value, or as a string when it is not JSON.
 */
function rawRecordSql(d: Dialect, source: RecordSource, seq: number): string {
  let record: string;
  if (source.format === 'delimited') {
    const keys = csvRawKeys(source.header);
    const members = keys.map((key, i) => `${d.text(`${JSON.stringify(key)}:`)} || ${d.jsonString(`c${i}`)}`);
    const object = `'{' || ${members.length > 0 ? members.join(` || ',' || `) : `''`} || '}'`;
    // Another field count than the header's: every field, as the array the reference keeps.
    record = `CASE WHEN nfields = ${keys.length} THEN ${object} ELSE raw_fields END`;
  } else {
    record = `coalesce(${d.jsonValue('body')}, ${d.jsonString('body')})`;
  }
  return `SELECT ${seq} AS file_seq, row_num, ${record} AS record FROM ${source.relation} AS r`;
}

/**
 * The rejected rows as the quarantine's JSON lines (`source`, `row`, `reason`, `record`, in that
 * order), built as text so the raw record stays the JSON it was.
 */
function quarantineLinesSql(d: Dialect, sources: string): string {
  const line =
    `'{"source":' || ${d.jsonString('s.source')} || ',"row":' || ${d.integerText('r.row_num')} || ` +
    `',"reason":' || ${d.jsonString('r.reason')} || ',"record":' || coalesce(w.record, 'null') || '}'`;
  return (
    `SELECT ${line} AS line FROM playback_results AS r JOIN (${sources}) AS s ON s.file_seq = r.file_seq ` +
    `LEFT JOIN raw_records AS w ON w.file_seq = r.file_seq AND w.row_num = r.row_num WHERE r.reason IS NOT NULL`
  );
}

function unionAll(parts: readonly string[], empty: string): string {
  return parts.length === 0 ? empty : parts.map((p) => `SELECT * FROM (${p}) AS part`).join(' UNION ALL ');
}

/** An empty relation with the common shape, for a dataset without files. */
function emptyFields(d: Dialect, fields: readonly string[]): string {
  const columns = fields.flatMap((f) => [
    `CAST(NULL AS ${d.types.text}) AS ${f}_t`,
    `CAST(NULL AS ${d.types.text}) AS ${f}_k`,
  ]);
  return `SELECT * FROM (SELECT 0 AS file_seq, CAST(0 AS ${d.types.bigint}) AS row_num, false AS malformed, ${columns.join(', ')}) AS none WHERE false`;
}

/** Each ETL run's own staging table (see {@link RUN_ID_TOKEN}). */
const GLUE_STAGING_TABLE = `${WAREHOUSE_TABLES.schema}.glue_staging_${RUN_ID_TOKEN}`;

// Row order within a run, as one number: file, then row (a file has far fewer than 2^32 rows).
const FILE_SEQ_STRIDE = 4_294_967_296;

/**
 * Compiles an ETL job: every file read into a view, the contract's statements (fields, dimensions,
 * rules, join, dedupe), and the processed rows written to the run's own staging table and merged
 * in PostgreSQL by the loader's own merge (`mergeStagedRowsSql`, under the load lock, changed days
 * stamped with the database's clock at the merge), after the warehouse schema is brought up to
 * date (`migrationSteps`), so a first run into an empty database creates its tables. Rejected
 * rows land in the view `rejected`.
 *
 * @example
 * const plan = compileEtlJobPlan(SPARK, { lakeRoot: 's3://lake', files, settings });
 */
export function compileEtlJobPlan(d: Dialect, options: EtlJobPlanOptions): JobPlan {
  const inputs: JobInput[] = [];
  const parts: Record<JobFile['dataset'], string[]> = { playback: [], content: [], users: [] };
  const sequence: Record<JobFile['dataset'], number> = { playback: 0, content: 0, users: 0 };
  const keys: string[] = [];
  const rawRecords: string[] = [];
  options.files.forEach((file, index) => {
    const view = `in_${index}`;
    const path = joinPath(options.lakeRoot, file.key);
    if (file.format === 'csv' || file.format === 'tsv') {
      if (!file.header)
        throw new SqlPlanError('invalid_input', `${file.key}: a CSV/TSV file needs its header`);
    }
    inputs.push({ view, reader: 'wholetext', path });
    const fields =
      file.dataset === 'playback'
        ? PLAYBACK_FIELDS
        : file.dataset === 'content'
          ? CONTENT_FIELDS
          : USER_FIELDS;
    const seq = sequence[file.dataset]++;
    const records = recordsOf(d, file, view);
    if (file.dataset === 'playback') {
      keys.push(file.key);
      rawRecords.push(rawRecordSql(d, records, seq));
    }
    parts[file.dataset].push(recordFieldsSql(d, records, seq, fields));
  });
  const sources = keys
    .map((key, seq) => `SELECT ${seq} AS file_seq, ${d.text(key)} AS source`)
    .join(' UNION ALL ');
  const statements: JobStatement[] = [
    { view: 'content_fields', sql: unionAll(parts.content, emptyFields(d, CONTENT_FIELDS)) },
    { view: 'user_fields', sql: unionAll(parts.users, emptyFields(d, USER_FIELDS)) },
    { view: 'playback_fields', sql: unionAll(parts.playback, emptyFields(d, PLAYBACK_FIELDS)) },
    { view: 'dim_content', sql: dimensionSql(d, 'content', 'SELECT * FROM content_fields') },
    { view: 'dim_user', sql: dimensionSql(d, 'users', 'SELECT * FROM user_fields') },
    {
      view: 'playback_results',
      sql: playbackSql(d, 'SELECT * FROM playback_fields', options.settings, {
        content: 'dim_content',
        users: 'dim_user',
      }),
    },
    { view: 'processed', sql: processedColumnsSql(d, dedupeSql('SELECT * FROM playback_results')) },
    {
      view: 'staged',
      sql: `SELECT ${PROCESSED_COLUMNS.map((c) => c.name).join(', ')}, CAST(file_seq AS ${d.types.bigint}) * ${FILE_SEQ_STRIDE} + row_num AS seq FROM processed`,
    },
    {
      view: 'raw_records',
      sql: unionAll(
        rawRecords,
        `SELECT * FROM (SELECT -1 AS file_seq, CAST(0 AS ${d.types.bigint}) AS row_num, '' AS record) AS none WHERE false`,
      ),
    },
    {
      view: 'rejected',
      sql: quarantineLinesSql(d, sources || "SELECT -1 AS file_seq, '' AS source"),
    },
  ];
  if (options.changedDaysKey !== undefined) {
    // Its output follows the merge's: the rows' days, whether or not each row replaced a stored one.
    statements.push({
      view: 'changed_days',
      sql: `SELECT DISTINCT ${d.dateText('event_date')} AS event_date FROM processed`,
    });
  }
  return {
    version: JOB_PLAN_VERSION,
    job: 'etl',
    dialect: d.name,
    inputs,
    statements,
    outputs: [
      {
        kind: 'jdbc',
        view: 'staged',
        table: GLUE_STAGING_TABLE,
        before: migrationSteps().map((step) => step.sql),
        // The database's clock, taken under the lock just before the merge, as the loader does.
        after: [LOAD_LOCK_SQL, mergeStagedRowsSql(GLUE_STAGING_TABLE, 'clock_timestamp()')],
      },
      {
        kind: 'lines',
        view: 'rejected',
        path: joinPath(options.lakeRoot, options.rejectedKey ?? LAKE_LAYOUT.glueRejectedPlayback),
      },
      ...(options.changedDaysKey === undefined
        ? []
        : [
            {
              kind: 'json' as const,
              view: 'changed_days',
              path: joinPath(options.lakeRoot, options.changedDaysKey),
            },
          ]),
    ],
  };
}

/** The aggregate columns with the types the tables declare (dates, counts and measures typed). */
function typedAggregateSql(columns: readonly ColumnSpec[], sql: string): string {
  const items = columns.map((c) =>
    c.athena === 'string' ? c.name : `CAST(${c.name} AS ${c.athena.toUpperCase()}) AS ${c.name}`,
  );
  return `SELECT ${items.join(', ')} FROM (${sql}) AS computed`;
}

/**
 * One day's two tables, each as a SELECT of its columns typed as the tables declare them: what
 * the runners write out as Parquet (Spark) or UNLOAD (Athena).
 */
export function typedAggregateTables(sql: AggregateSql): [AggregateTable, string][] {
  return [
    ['daily_engagement', typedAggregateSql(DAILY_ENGAGEMENT_COLUMNS, sql.engagement)],
    ['daily_active_users', typedAggregateSql(DAILY_ACTIVE_USERS_COLUMNS, sql.activeUsers)],
  ];
}

/**
 * What an aggregation job plan is compiled from.
 *
 * @example
 * const options: AggregateJobPlanOptions = { lakeRoot: 's3://lake', days: ['2025-03-14'] };
 */
export interface AggregateJobPlanOptions {
  readonly lakeRoot: string;
  /** Days as YYYY-MM-DD. */
  readonly days: readonly string[];
}

/**
 * Compiles an aggregation job: per day, that day's processed rows read over JDBC (the date filter
 * runs in PostgreSQL), both tables computed, one Parquet object per table and day.
 *
 * @example
 * const plan = compileAggregateJobPlan(SPARK, { lakeRoot: 's3://lake', days: ['2025-03-14'] });
 */
export function compileAggregateJobPlan(d: Dialect, options: AggregateJobPlanOptions): JobPlan {
  const inputs: JobInput[] = [];
  const statements: JobStatement[] = [];
  const outputs: JobOutput[] = [];
  options.days.forEach((day, index) => {
    const sql = compileAggregateSql(d, { source: `processed_${index}`, day });
    inputs.push({
      view: `processed_${index}`,
      reader: 'jdbc',
      query: `SELECT * FROM ${WAREHOUSE_TABLES.processed} WHERE event_date = DATE '${day}'`,
    });
    for (const [table, text] of typedAggregateTables(sql)) {
      const view = `${table}_${index}`;
      statements.push({ view, sql: text });
      outputs.push({
        kind: 'parquet',
        view,
        path: joinPath(options.lakeRoot, aggregateObjectKey(table, day, 'parquet')),
      });
    }
  });
  return { version: JOB_PLAN_VERSION, job: 'aggregate', dialect: d.name, inputs, statements, outputs };
}
