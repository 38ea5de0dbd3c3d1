/**
 * A SQL-standard string literal: single quotes, an embedded quote doubled, no backslash escapes.
 * PostgreSQL (standard_conforming_strings on), DuckDB and Trino all read it so; Spark SQL does
 * not (its dialect escapes with backslashes). The one quoting of text into SQL for those engines.
 *
 * @example
 * sqlString("it's"); // "'it''s'"
 */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
