import { REJECTION_REASONS, UNKNOWN, type PipelineSettings, type RejectionReason } from '@streampulse/schema';
import { canonicalFieldOf, FIELD_ALIASES, type CanonicalField } from '@streampulse/transform';
import type { Dialect } from './dialect.js';
import { SqlPlanError } from './errors.js';
import {
  deviceTypeOfFolded,
  foldedDeviceType,
  genre,
  identifier,
  region,
  title,
  type RawValue,
} from './rules.js';
import { nest, type Layer } from './layers.js';
import { timestampLayers } from './timestamps.js';

/**
 * Fields the playback rules read.
 *
 * @example
 * recordFieldsSql(DUCKDB, source, 0, PLAYBACK_FIELDS);
 */
export const PLAYBACK_FIELDS = [
  'session_id',
  'user_id',
  'content_id',
  'device_type',
  'start_time',
  'end_time',
] as const satisfies readonly CanonicalField[];
/**
 * Fields `content_metadata` gives the join.
 *
 * @example
 * recordFieldsSql(DUCKDB, source, 0, CONTENT_FIELDS);
 */
export const CONTENT_FIELDS = ['content_id', 'title', 'genre'] as const satisfies readonly CanonicalField[];
/**
 * Fields `user_profiles` gives the join.
 *
 * @example
 * recordFieldsSql(DUCKDB, source, 0, USER_FIELDS);
 */
export const USER_FIELDS = ['user_id', 'region'] as const satisfies readonly CanonicalField[];

/**
 * Where one file's records are, as a relation the plan reads.
 *
 * - `delimited` (CSV/TSV): columns `row_num` (1-based record number), `nfields` (fields the
 *   record has) and `c0`, `c1`, ... (at least one per header name, NULL past the record's end);
 *   `header` is the file's header row, read by the host, which the plan folds.
 * - `json`: columns `row_num`, `body` (the record's JSON text) and `malformed` (TRUE / FALSE when
 *   the reader already knows, NULL to let the engine decide from `body`).
 *
 * @example
 * const source: RecordSource = { format: 'delimited', relation: 'rec', header: ['Session ID', 'start'] };
 */
export type RecordSource =
  | { readonly format: 'delimited'; readonly relation: string; readonly header: readonly string[] }
  | { readonly format: 'json'; readonly relation: string };

/**
 * Which header column feeds each canonical field: the first, by position, whose folded name is an
 * accepted name (the reference's own folding and alias table).
 *
 * @example
 * delimitedFieldColumns(['Start', 'start_time', 'Viewer ID']); // { start_time: 0, user_id: 2 }
 */
export function delimitedFieldColumns(header: readonly string[]): Partial<Record<CanonicalField, number>> {
  const columns: Partial<Record<CanonicalField, number>> = {};
  header.forEach((name, index) => {
    const field = canonicalFieldOf(name);
    if (field !== undefined && columns[field] === undefined) columns[field] = index;
  });
  return columns;
}

/** A field's text and kind columns in the records relation. */
function rawOf(field: CanonicalField): RawValue {
  return { text: `${field}_t`, kind: `${field}_k` };
}

/**
 * One file's records as the plan's common shape: `file_seq`, `row_num`, `malformed`, and for
 * each field `<field>_t` (text) and `<field>_k` (kind, NULL when absent).
 *
 * @example
 * recordFieldsSql(DUCKDB, { format: 'json', relation: 'rec' }, 3, PLAYBACK_FIELDS);
 */
export function recordFieldsSql(
  d: Dialect,
  source: RecordSource,
  fileSeq: number,
  fields: readonly CanonicalField[],
): string {
  if (!Number.isInteger(fileSeq) || fileSeq < 0) {
    throw new SqlPlanError('invalid_input', `file sequence ${fileSeq} is not a non-negative integer`);
  }
  if (source.format === 'delimited') {
    const columns = delimitedFieldColumns(source.header);
    const items = fields.flatMap((field) => {
      const index = columns[field];
      return index === undefined
        ? [`CAST(NULL AS ${d.types.text}) AS ${field}_t`, `CAST(NULL AS ${d.types.text}) AS ${field}_k`]
        : [`c${index} AS ${field}_t`, `'s' AS ${field}_k`];
    });
    return (
      `SELECT ${fileSeq} AS file_seq, row_num, nfields <> ${source.header.length} AS malformed, ` +
      `${items.join(', ')} FROM ${source.relation}`
    );
  }
  const judged = `SELECT row_num, body, coalesce(malformed, NOT ${d.jsonIsObject('body')}) AS malformed FROM ${source.relation}`;
  const keys = fields.map(
    (field) =>
      `CASE WHEN NOT malformed THEN ${d.firstKeyFolding('body', FIELD_ALIASES[field])} END AS ${field}_key`,
  );
  // Engines may evaluate JSON functions before a CASE has ruled a record out: malformed bodies
  // never reach them.
  const values = fields.flatMap((field) => [
    `CASE WHEN NOT malformed THEN ${d.jsonText('body', `${field}_key`)} END AS ${field}_t`,
    `CASE WHEN NOT malformed THEN ${d.jsonKind('body', `${field}_key`)} END AS ${field}_k`,
  ]);
  return (
    `SELECT ${fileSeq} AS file_seq, row_num, malformed, ${values.join(', ')} ` +
    `FROM (SELECT row_num, body, malformed, ${keys.join(', ')} FROM (${judged}) AS judged) AS keyed`
  );
}

/**
 * Relations a playback plan joins to.
 *
 * @example
 * const dims: DimensionRelations = { content: 'dim_content', users: 'dim_user' };
 */
export interface DimensionRelations {
  /** Columns content_id, title, genre; one row per id. */
  readonly content: string;
  /** Columns user_id, region; one row per id. */
  readonly users: string;
}

function reasonConditions(maxDurationMillis: number): Record<RejectionReason, string> {
  return {
    malformed_row: 'malformed',
    missing_session_id: 'session_id IS NULL',
    missing_user_id: 'user_id IS NULL',
    missing_content_id: 'content_id IS NULL',
    invalid_start_time: 'st_ms IS NULL',
    invalid_end_time: 'et_ms IS NULL',
    non_positive_duration: 'et_ms <= st_ms',
    duration_too_long: `et_ms - st_ms > ${maxDurationMillis}`,
  };
}

/**
 * Columns of every playback plan result, in order.
 *
 * @example
 * `SELECT ${PLAYBACK_RESULT_COLUMNS.join(', ')} FROM results`;
 */
export const PLAYBACK_RESULT_COLUMNS = [
  'file_seq',
  'row_num',
  'reason',
  'session_id',
  'user_id',
  'content_id',
  'title',
  'genre',
  'region',
  'device_type',
  'start_ms',
  'end_ms',
  'duration_hundredths',
  'event_date',
  'orphan_content',
  'orphan_user',
] as const;

/**
 * The playback rules, the join and the orphan flags over records in the common shape (see
 * {@link recordFieldsSql}): one row per record with its `reason` (NULL when valid, else the
 * first rule broken, in the contract's order) and, for valid rows, the processed values
 * (`start_ms`/`end_ms` epoch milliseconds, `duration_hundredths`, `event_date` as YYYY-MM-DD).
 *
 * @example
 * playbackSql(DUCKDB, 'SELECT * FROM fields', settings, { content: 'dim_content', users: 'dim_user' });
 */
export function playbackSql(
  d: Dialect,
  records: string,
  settings: PipelineSettings,
  dims: DimensionRelations,
): string {
  const rules: Layer[] = [
    {
      items: [
        `${identifier(d, rawOf('session_id'))} AS session_id`,
        `${identifier(d, rawOf('user_id'))} AS user_id`,
        `${identifier(d, rawOf('content_id'))} AS content_id`,
        // Folded once here: the device type's every alias arm reads it (a regex replace each).
        `${foldedDeviceType(d, rawOf('device_type'))} AS device_folded`,
      ],
    },
    ...zip(
      [{ items: [`${deviceTypeOfFolded(d, 'device_folded')} AS device_type`] }],
      zip(
        timestampLayers(d, 'st', rawOf('start_time'), settings.sourceTimeZone),
        timestampLayers(d, 'et', rawOf('end_time'), settings.sourceTimeZone),
      ),
    ),
  ];
  const conditions = reasonConditions(settings.maxDurationMinutes * 60_000);
  const reason = `CASE ${REJECTION_REASONS.map((r) => `WHEN ${conditions[r]} THEN ${d.text(r)}`).join(' ')} END`;
  const judged = `SELECT *, ${reason} AS reason FROM (${nest(records, rules, 'l', d.layerFence)}) AS ruled`;
  const valid = 'r.reason IS NULL';
  const offset = d.zoneOffsetMillis(settings.reportingTimeZone, 'r.st_ms');
  const eventDay = d.div(`r.st_ms + ${offset}`, '86400000');
  const unknown = d.text(UNKNOWN);
  // Only valid rows join. The rule sits inside the join key (NULL never equals anything), not
  // beside the equality: DuckDB turns `ON valid AND c.id = r.id` of a LEFT JOIN into a nested
  // loop join, one comparison per row and dimension row, while a plain equality stays a hash join.
  const validKey = (column: string): string => `CASE WHEN ${valid} THEN r.${column} END`;
  return (
    `SELECT r.file_seq, r.row_num, r.reason, r.session_id, r.user_id, r.content_id, ` +
    `CASE WHEN ${valid} THEN coalesce(c.title, ${unknown}) END AS title, ` +
    `CASE WHEN ${valid} THEN coalesce(c.genre, ${unknown}) END AS genre, ` +
    `CASE WHEN ${valid} THEN coalesce(u.region, ${unknown}) END AS region, ` +
    `r.device_type, ` +
    `CASE WHEN ${valid} THEN r.st_ms END AS start_ms, CASE WHEN ${valid} THEN r.et_ms END AS end_ms, ` +
    `CASE WHEN ${valid} THEN ${d.div('r.et_ms - r.st_ms + 300', '600')} END AS duration_hundredths, ` +
    `CASE WHEN ${valid} THEN ${d.dateText(d.epochDayDate(eventDay))} END AS event_date, ` +
    `${valid} AND c.content_id IS NULL AS orphan_content, ${valid} AND u.user_id IS NULL AS orphan_user ` +
    `FROM (${judged}) AS r ` +
    `LEFT JOIN ${dims.content} AS c ON c.content_id = ${validKey('content_id')} ` +
    `LEFT JOIN ${dims.users} AS u ON u.user_id = ${validKey('user_id')}`
  );
}

/** Pairs layers so both advance in the same SELECTs; the shorter list simply ends early. */
function zip(a: readonly Layer[], b: readonly Layer[]): Layer[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => ({
    items: [...(a[i]?.items ?? []), ...(b[i]?.items ?? [])],
  }));
}

/**
 * A dimension from records in the common shape (every file of it, in one relation): rows
 * without an id or malformed are skipped; of one id, the last row wins (highest `file_seq`,
 * then `row_num`).
 *
 * @example
 * dimensionSql(DUCKDB, 'content', 'SELECT * FROM content_fields'); // content_id, title, genre
 */
export function dimensionSql(d: Dialect, kind: 'content' | 'users', records: string): string {
  const id = kind === 'content' ? 'content_id' : 'user_id';
  const described =
    kind === 'content'
      ? `${title(d, rawOf('title'))} AS title, ${genre(d, rawOf('genre'))} AS genre`
      : `${region(d, rawOf('region'))} AS region`;
  const columns = kind === 'content' ? 'content_id, title, genre' : 'user_id, region';
  return (
    `SELECT ${columns} FROM (SELECT *, row_number() OVER (PARTITION BY ${id} ORDER BY file_seq DESC, row_num DESC) AS pick ` +
    `FROM (SELECT file_seq, row_num, ${identifier(d, rawOf(id))} AS ${id}, ${described} ` +
    `FROM (${records}) AS f WHERE NOT malformed) AS described WHERE ${id} IS NOT NULL) AS ranked WHERE pick = 1`
  );
}

/**
 * Session dedupe over playback results of many files: per session the latest `end_ms` wins, a tie
 * goes to the first row by (file_seq, row_num).
 *
 * @example
 * dedupeSql('SELECT * FROM playback_out'); // one valid row per session_id
 */
export function dedupeSql(results: string): string {
  return (
    `SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY session_id ORDER BY end_ms DESC, file_seq, row_num) AS pick ` +
    `FROM (${results}) AS valid WHERE reason IS NULL) AS ranked WHERE pick = 1`
  );
}

/**
 * The 11 processed columns from playback results, typed for `processed.processed_data`.
 *
 * @example
 * processedColumnsSql(SPARK, 'SELECT * FROM deduped');
 */
export function processedColumnsSql(d: Dialect, results: string): string {
  const minutes = `${d.integerText(d.div('duration_hundredths', '100'))} || '.' || ${d.pad2(
    d.integerText(d.mod('duration_hundredths', '100')),
  )}`;
  return (
    `SELECT session_id, user_id, content_id, title, genre, region, device_type, ` +
    `${d.millisInstant('start_ms')} AS start_time, ${d.millisInstant('end_ms')} AS end_time, ` +
    `CAST(${minutes} AS DECIMAL(10, 2)) AS duration_min, CAST(event_date AS DATE) AS event_date, file_seq, row_num ` +
    `FROM (${results}) AS processed`
  );
}
