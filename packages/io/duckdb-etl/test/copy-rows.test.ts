import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ProcessedRow } from '@streampulse/schema';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { dumpProcessedCsv, loadFile, migrate, stageCopyText } from '@streampulse/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStats, writeCopyCsv } from '../src/copy-rows.js';

const NASTY = [
  'He said "hi", then left',
  'tab\there',
  'line\nbreak and \r\n crlf',
  'back\\slash \\\\ double \\t not a tab',
  '\\N',
  '\\.',
  "single ' quote",
  'ünïcødé — 日本語 🎬 \u200b zero-width',
  'comma,separated,"quoted"',
  '\u0001\u001f controls \u007f',
  '',
];

let dir: string;
let instance: DuckDBInstance;
let connection: DuckDBConnection;
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('copy-rows');
  await migrate(db.pool);
  dir = mkdtempSync(join(tmpdir(), 'copy-rows-'));
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(
    `CREATE TABLE results (file_seq INTEGER, row_num BIGINT, reason VARCHAR, session_id VARCHAR, user_id VARCHAR, ` +
      `content_id VARCHAR, title VARCHAR, genre VARCHAR, region VARCHAR, device_type VARCHAR, start_ms BIGINT, ` +
      `end_ms BIGINT, duration_hundredths BIGINT, event_date VARCHAR, orphan_content BOOLEAN, orphan_user BOOLEAN)`,
  );
});
afterAll(async () => {
  connection?.closeSync();
  instance?.closeSync();
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
  await stopTestServer();
});

/** Inserts rows as the plan's results; returns them as the warehouse's row objects. */
async function insert(
  seq: number,
  values: readonly string[],
  instants: readonly number[],
): Promise<ProcessedRow[]> {
  const appender = await connection.createAppender('results');
  const rows: ProcessedRow[] = [];
  values.forEach((text, i) => {
    const start = instants[i % instants.length] as number;
    const hundredths = [1, 4551, 100, 12_000, 7][i % 5] as number;
    const end = start + hundredths * 600;
    const row: ProcessedRow = {
      session_id: `s${i} ${text}`,
      user_id: `u${text}`,
      content_id: text,
      title: text,
      genre: text,
      region: text,
      device_type: 'tv',
      start_time: start,
      end_time: end,
      duration_min: hundredths / 100,
      event_date: '2025-03-10',
    };
    rows.push(row);
    appender.appendInteger(seq);
    appender.appendBigInt(BigInt(i + 1));
    appender.appendNull();
    for (const value of [
      row.session_id,
      row.user_id,
      row.content_id,
      row.title,
      row.genre,
      row.region,
      row.device_type,
    ]) {
      appender.appendVarchar(value);
    }
    appender.appendBigInt(BigInt(start));
    appender.appendBigInt(BigInt(end));
    appender.appendBigInt(BigInt(hundredths));
    appender.appendVarchar(row.event_date);
    appender.appendBoolean(false);
    appender.appendBoolean(false);
    appender.endRow();
  });
  appender.closeSync();
  return rows;
}

describe('writeCopyCsv', () => {
  it('writes CSV that PostgreSQL loads exactly as loadFile loads the same rows: quotes, escapes, instants, minutes', async () => {
    const instants = [
      Date.UTC(2025, 2, 10, 9, 46, 40, 123),
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      -62_135_596_800_000,
      Date.UTC(999, 0, 1),
      5,
    ];
    const rows = await insert(0, NASTY, instants);
    const file = {
      key: 'raw/playback/nasty.csv',
      etag: '"1"',
      size: 1,
      rowsRead: rows.length,
      rowsRejected: 0,
    };
    await loadFile(db.pool, {
      ...file,
      rows: (async function* () {
        yield rows;
      })(),
    });
    const expected = await dumpProcessedCsv(db.pool);
    await db.pool.query('TRUNCATE processed.processed_data, processed.file_ledger, processed.day_changes');

    const path = join(dir, 'rows-0.csv');
    await writeCopyCsv(connection, 'results', 0, path);
    const staged = await stageCopyText(db.pool, { ...file, copyText: createReadStream(path), format: 'csv' });
    expect(await staged.commit()).toMatchObject({ rowsLoaded: NASTY.length });
    expect(await dumpProcessedCsv(db.pool)).toBe(expected);
    expect((await fileStats(connection, 'results')).get(0)).toMatchObject({
      counts: { rowsRead: NASTY.length, rowsValid: NASTY.length },
      unusual: false,
    });
  });

  it('marks a file whose valid rows hold what copyLine refuses (NUL) as unusual', async () => {
    await insert(1, ['fine', 'nul\u0000inside'], [Date.UTC(2025, 2, 10)]);
    expect((await fileStats(connection, 'results')).get(1)?.unusual).toBe(true);
  });
});
