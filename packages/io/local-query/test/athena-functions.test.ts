import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { ATHENA_FUNCTION_MACROS } from '@streampulse/analytics-sql';

async function run(sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const macro of ATHENA_FUNCTION_MACROS) await connection.run(macro);
    return (await connection.runAndReadAll(sql)).getRowsJson() as unknown[][];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('ATHENA_FUNCTION_MACROS', () => {
  it('formats dates as Athena date_format does, MySQL tokens included', async () => {
    expect(
      await run(`SELECT date_format(TIMESTAMP '2025-03-04 21:07:09', '%Y-%m-%d %H:%i:%s %M %W')`),
    ).toEqual([['2025-03-04 21:07:09 March Tuesday']]);
  });

  it('formats dates as Athena format_datetime does, with Joda patterns', async () => {
    expect(await run(`SELECT format_datetime(DATE '2025-03-04', 'yyyy-MM-dd HH:mm (MMM)')`)).toEqual([
      ['2025-03-04 00:00 (Mar)'],
    ]);
  });

  it('counts distinct values per group with approx_distinct, next to date_trunc', async () => {
    const rows = await run(
      `SELECT date_format(d, '%Y-%m'), approx_distinct(x), CAST(date_trunc('month', d) AS DATE) AS m
       FROM (VALUES (DATE '2025-03-04', 'a'), (DATE '2025-03-05', 'b'), (DATE '2025-04-01', 'a')) t(d, x)
       GROUP BY 1, 3 ORDER BY 1`,
    );
    expect(rows).toEqual([
      ['2025-03', '2', '2025-03-01'],
      ['2025-04', '1', '2025-04-01'],
    ]);
  });
});
