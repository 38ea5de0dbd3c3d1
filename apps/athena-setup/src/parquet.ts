import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { PROCESSED_COLUMNS } from '@streampulse/schema';
import { sqlString } from '@streampulse/contract-sql';

// The smoke run's local side: DuckDB turns a case's expected processed rows into the Parquet
// Athena reads (another engine than the one tested).

/** The type a processed column has in the Parquet file (instants as UTC timestamps, as Athena's `timestamp`). */
function parquetColumn(name: string, duckdb: string): string {
  if (duckdb === 'TIMESTAMPTZ') return `CAST(${name} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS ${name}`;
  return duckdb === 'VARCHAR' ? name : `CAST(${name} AS ${duckdb}) AS ${name}`;
}

/**
 * `processed_data.csv` (the contract's CSV, with header) as one Parquet file with the table's types.
 *
 * @example
 * await lake.write('processed/processed_data.parquet', await processedParquet(goldenCase.processedCsv));
 */
export async function processedParquet(csv: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'streampulse-athena-smoke-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const input = join(dir, 'processed_data.csv');
    const output = join(dir, 'processed_data.parquet');
    await writeFile(input, csv);
    const columns = PROCESSED_COLUMNS.map((c) => `${sqlString(c.name)}: 'VARCHAR'`).join(', ');
    await connection.run(
      `COPY (SELECT ${PROCESSED_COLUMNS.map((c) => parquetColumn(c.name, c.duckdb)).join(', ')} ` +
        `FROM read_csv(${sqlString(input)}, header = true, auto_detect = false, delim = ',', quote = '"', ` +
        `escape = '"', columns = {${columns}})) TO ${sqlString(output)} (FORMAT parquet)`,
    );
    return await readFile(output);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}
