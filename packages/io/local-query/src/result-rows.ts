import { DuckDBTypeId, type DuckDBResultReader } from '@duckdb/node-api';

// DuckDB's JSON conversion keeps 64-bit and wider integers as text so nothing is lost; counts
// are far below 2^53, and as numbers they print and compare as people expect.
const WIDE_INTEGERS = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);

function narrowed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}

/**
 * A result's rows as JSON-ready values: numbers for integers that fit and for doubles,
 * `YYYY-MM-DD` for dates, ISO text for timestamps, exact text for decimals and huge integers.
 *
 * @example
 * const rows = resultRows(await connection.runAndReadAll('SELECT 1 AS n')); // [[1]]
 */
export function resultRows(reader: DuckDBResultReader): unknown[][] {
  const wide = reader.columnNames().map((_, i) => WIDE_INTEGERS.has(reader.columnTypeId(i)));
  return reader.getRowsJson().map((row) => row.map((value, i) => (wide[i] ? narrowed(value) : value)));
}
