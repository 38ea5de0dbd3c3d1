import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCsvRow } from '@streampulse/formats';
import { openLake } from '@streampulse/lake';
import { LocalQueryError, openLocalQuery, type LocalQuery, type QueryResult } from '@streampulse/local-query';
import { parseCommandArgs, requireOption } from '../args.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { requireLakeRoot } from '../lake-root.js';

/**
 * `streampulse query --help`.
 *
 * @example
 * io.stdout.write(queryHelp);
 */
export const queryHelp = `Usage: streampulse query --lake <dir|s3://bucket[/prefix]> [--format table|csv|json] "<SQL>"

Runs one SQL statement with DuckDB over the lake's daily aggregates: the tables
daily_engagement and daily_active_users (partition columns year, month and day are integers)
and the dashboard views top_titles_by_watch_hours, daily_unique_viewers, watch_hours_by_device,
regional_engagement, genre_performance and daily_active_users_by_segment, the same as in Athena.
An s3:// lake's aggregates are downloaded to a temp folder first.

Example:
  streampulse query --lake ./lake "SELECT title, total_watch_hours, unique_viewers
    FROM daily_engagement WHERE year = 2025 AND month = 3 AND day = 14
    ORDER BY total_watch_hours DESC LIMIT 10;"

Options:
  --lake <root>       lake root: a folder or s3://bucket[/prefix] (required)
  --format <format>   table (default: aligned columns), csv (a header and the rows only) or
                      json (an array of objects)
  -h, --help          show this help

Exit status: 0 the query ran; 1 it could not (bad SQL, unreadable lake).
`;

/** How `streampulse query` prints a result. */
export type OutputFormat = 'table' | 'csv' | 'json';
const FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

function parseFormat(value: string | undefined): OutputFormat {
  if (value === undefined) return 'table';
  const format = FORMATS.find((f) => f === value);
  if (!format) throw new UsageError(`--format must be table, csv or json, got ${JSON.stringify(value)}`);
  return format;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function asCsv(result: QueryResult): string {
  const lines = [result.columns, ...result.rows.map((row) => row.map(text))].map((cells) =>
    encodeCsvRow(cells),
  );
  return lines.join('\n') + '\n';
}

function asJson(result: QueryResult): string {
  const objects = result.rows.map((row) =>
    Object.fromEntries(result.columns.map((c, i) => [c, row[i] ?? null])),
  );
  return JSON.stringify(objects) + '\n';
}

function asTable(result: QueryResult): string {
  const cells = result.rows.map((row) => row.map((v) => (v === null ? 'NULL' : text(v))));
  const widths = result.columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0)));
  // Numbers right-aligned, like every SQL shell; judged by the first non-null value of a column.
  const numeric = result.columns.map(
    (_, i) => typeof result.rows.find((r) => r[i] !== null)?.[i] === 'number',
  );
  const line = (values: readonly string[], alignRight: readonly boolean[]) =>
    values
      .map((v, i) => (alignRight[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join(' | ')
      .trimEnd();
  const count = result.rows.length;
  return [
    line(result.columns, []),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...cells.map((row) => line(row, numeric)),
    `(${count} ${count === 1 ? 'row' : 'rows'})`,
  ]
    .join('\n')
    .concat('\n');
}

const render: Record<OutputFormat, (result: QueryResult) => string> = {
  table: asTable,
  csv: asCsv,
  json: asJson,
};

/**
 * A query result as the `query` command prints it.
 *
 * @example
 * io.stdout.write(renderQueryResult(await local.query(sql), 'table'));
 */
export function renderQueryResult(result: QueryResult, format: OutputFormat): string {
  return render[format](result);
}

/**
 * `streampulse query`: parses, runs one SQL statement over the lake, prints the result; a SQL
 * error is one line on stderr and exit 1.
 *
 * @example
 * const code = await queryCommand(['--lake', './lake', '--format', 'csv', 'SELECT 1 AS one'], io);
 */
export async function queryCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'query',
    args,
    { lake: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    io.stdout.write(queryHelp);
    return EXIT.ok;
  }
  const [sql, ...extra] = positionals;
  if (sql === undefined || sql.trim() === '' || extra.length > 0) {
    throw new UsageError('give exactly one SQL statement, in quotes (see: streampulse query --help)');
  }
  const format = parseFormat(values.format);
  const root = requireOption('query', 'lake', values.lake);
  const lake = openLake(root, { env: io.env });
  await requireLakeRoot(lake, root, ['analytics', 'raw'], 'query', io.cwd ?? process.cwd());
  const scratchDir = await mkdtemp(join(tmpdir(), 'streampulse-query-'));
  let local: LocalQuery | undefined;
  try {
    local = await openLocalQuery({ lake, scratchDir });
    io.stdout.write(render[format](await local.query(sql)));
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof LocalQueryError)) throw error;
    io.stderr.write(`streampulse query: ${error.message}\n`);
    return EXIT.failed;
  } finally {
    await local?.close();
    await rm(scratchDir, { recursive: true, force: true });
  }
}
