/**
 * A SQL string literal as Trino and DuckDB read it: single quotes, an embedded quote doubled.
 *
 * @example
 * sqlString("it's"); // "'it''s'"
 */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
