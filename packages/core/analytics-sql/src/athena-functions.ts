/**
 * Athena (Trino) date functions as DuckDB macros, so the text a user runs in Athena runs on the
 * laptop too. DuckDB's strftime takes only a constant format, so a macro cannot translate the
 * format and call strftime once; instead each token of the caller's format is replaced by
 * strftime's rendering of that one token. Inserted values never hold a later token.
 */
const MYSQL_TOKENS: readonly (readonly [string, string])[] = [
  ['%Y', '%Y'],
  ['%y', '%y'],
  ['%m', '%m'],
  ['%c', '%-m'],
  ['%d', '%d'],
  ['%e', '%-d'],
  ['%H', '%H'],
  ['%k', '%-H'],
  ['%h', '%I'],
  ['%I', '%I'],
  ['%l', '%-I'],
  ['%i', '%M'],
  ['%s', '%S'],
  ['%S', '%S'],
  ['%f', '%f'],
  ['%p', '%p'],
  ['%M', '%B'],
  ['%b', '%b'],
  ['%W', '%A'],
  ['%a', '%a'],
  ['%j', '%j'],
  ['%T', '%H:%M:%S'],
];

/** Joda-Time patterns (format_datetime), longest first so `MMM` wins over `MM`. */
const JODA_TOKENS: readonly (readonly [string, string])[] = [
  ['yyyy', '%Y'],
  ['yy', '%y'],
  ['MMMM', '%B'],
  ['MMM', '%b'],
  ['MM', '%m'],
  ['dd', '%d'],
  ['HH', '%H'],
  ['hh', '%I'],
  ['mm', '%M'],
  ['ss', '%S'],
  ['EEEE', '%A'],
  ['EEE', '%a'],
];

function formatter(tokens: readonly (readonly [string, string])[]): string {
  return tokens.reduce(
    (expr, [token, strftime]) =>
      `replace(${expr}, '${token}', strftime(CAST(d AS TIMESTAMP), '${strftime}'))`,
    'f',
  );
}

/**
 * The Athena functions the views and usual dashboard queries use that DuckDB lacks or names
 * differently: `date_format` (MySQL-style `%Y-%m-%d %H:%i:%s`), `format_datetime` (Joda
 * `yyyy-MM-dd HH:mm:ss`) and `approx_distinct`. `date_trunc('month', d)` is DuckDB's own.
 * Run each statement once on a DuckDB connection.
 *
 * @example
 * for (const sql of ATHENA_FUNCTION_MACROS) await connection.run(sql);
 * await connection.run(`SELECT date_format(event_date, '%Y-%m'), approx_distinct(title) FROM daily_engagement GROUP BY 1`);
 */
export const ATHENA_FUNCTION_MACROS: readonly string[] = [
  `CREATE OR REPLACE MACRO date_format(d, f) AS ${formatter(MYSQL_TOKENS)}`,
  `CREATE OR REPLACE MACRO format_datetime(d, f) AS ${formatter(JODA_TOKENS)}`,
  'CREATE OR REPLACE MACRO approx_distinct(x) AS approx_count_distinct(x)',
];
