import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { sqlString } from '../src/index.js';

describe('sqlString', () => {
  it('doubles an embedded quote and leaves backslashes as they are', () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlString('C:\\lake\\')).toBe("'C:\\lake\\'");
    expect(sqlString('')).toBe("''");
  });

  it('reads back as the same text in DuckDB, whatever the text holds', async () => {
    const hostile = ["'; DROP TABLE x; --", "''", '\\', 'line\nbreak', 'ünïcödé 🎬', "a'b'c"];
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const text of hostile) {
        const reader = await connection.runAndReadAll(`SELECT ${sqlString(text)} AS t`);
        expect(reader.getRowsJson()[0]?.[0]).toBe(text);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
