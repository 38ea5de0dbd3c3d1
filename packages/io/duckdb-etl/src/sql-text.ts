/** A SQL string literal (DuckDB: quotes doubled, backslashes literal). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
