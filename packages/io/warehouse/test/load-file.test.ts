import type { ProcessedRow } from '@streampulse/schema';
import { processedRowValues } from '@streampulse/transform';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { copyLine } from '../src/copy-writer.js';
import { batches, row } from './rows.js';
import {
  dumpProcessedCsv,
  ledgerEntry,
  loadFile,
  migrate,
  pendingDays,
  stageCopyText,
  WarehouseError,
  type FileLoad,
} from '../src/index.js';

afterAll(stopTestServer);

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase('load');
  pool = db.pool;
  await migrate(pool);
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await pool.query('TRUNCATE processed.processed_data, processed.file_ledger, processed.day_changes');
});

const at = (iso: string) => () => new Date(iso);
const minutes = (n: number): number => Date.UTC(2025, 2, 10, 9, 0, 0) + n * 60_000;

function file(key: string, rows: ProcessedRow[], size = 2): FileLoad {
  return {
    key,
    etag: `"${key}-v1"`,
    size: 100,
    rowsRead: rows.length,
    rowsRejected: 0,
    rows: batches(rows, size),
  };
}

async function stored(): Promise<Record<string, unknown>[]> {
  const result = await pool.query(
    `SELECT session_id, user_id, title, end_time, duration_min::text AS duration_min, to_char(event_date, 'YYYY-MM-DD') AS event_date
       FROM processed.processed_data ORDER BY session_id COLLATE "C"`,
  );
  return result.rows as Record<string, unknown>[];
}

async function snapshot(): Promise<unknown[]> {
  const tables = ['processed_data', 'file_ledger', 'day_changes'];
  return Promise.all(
    tables.map(async (t) => (await pool.query(`SELECT * FROM processed.${t} ORDER BY 1`)).rows),
  );
}

describe('loadFile', () => {
  it('inserts rows, reports rowsLoaded and the days, and records the file and its days', async () => {
    const rows = [
      row({ session_id: 'A', event_date: '2025-03-11' }),
      row({ session_id: 'B', event_date: '2025-03-10' }),
      row({ session_id: 'C', event_date: '2025-03-11', duration_min: 45.51 }),
    ];
    const result = await loadFile(
      pool,
      { ...file('raw/a.csv', rows), rowsRead: 4, rowsRejected: 1 },
      { now: at('2025-03-12T00:00:00Z') },
    );
    expect(result).toEqual({
      rowsLoaded: 3,
      rowsInserted: 3,
      rowsReplaced: 0,
      eventDates: ['2025-03-10', '2025-03-11'],
    });
    expect((await stored()).map((r) => [r.session_id, r.duration_min])).toEqual([
      ['A', '45.00'],
      ['B', '45.00'],
      ['C', '45.51'],
    ]);
    expect(await ledgerEntry(pool, 'raw/a.csv')).toEqual({
      key: 'raw/a.csv',
      etag: '"raw/a.csv-v1"',
      size: 100,
      status: 'loaded',
      rowsRead: 4,
      rowsLoaded: 3,
      rowsRejected: 1,
      error: null,
      startedAt: new Date('2025-03-12T00:00:00Z'),
      finishedAt: new Date('2025-03-12T00:00:00Z'),
    });
    expect(await pendingDays(pool)).toEqual(['2025-03-10', '2025-03-11']);
    const changes = await pool.query('SELECT changed_at FROM processed.day_changes');
    expect(changes.rows).toEqual([
      { changed_at: new Date('2025-03-12T00:00:00Z') },
      { changed_at: new Date('2025-03-12T00:00:00Z') },
    ]);
  });

  it('keeps, per session within a file, the row with the latest end_time, and on a tie the first', async () => {
    const rows = [
      row({ session_id: 'S', user_id: 'early', end_time: minutes(10) }),
      row({ session_id: 'T', user_id: 'first', end_time: minutes(30) }),
      row({ session_id: 'S', user_id: 'latest', end_time: minutes(50) }),
      row({ session_id: 'T', user_id: 'second', end_time: minutes(30) }),
      row({ session_id: 'S', user_id: 'middle', end_time: minutes(20) }),
    ];
    const result = await loadFile(pool, file('raw/dupes.csv', rows, 1));
    expect([result.rowsLoaded, result.rowsInserted, result.rowsReplaced]).toEqual([2, 2, 0]);
    expect((await stored()).map((r) => [r.session_id, r.user_id])).toEqual([
      ['S', 'latest'],
      ['T', 'first'],
    ]);
  });

  it('replaces a stored row only with a strictly later end_time from another file', async () => {
    await loadFile(
      pool,
      file('raw/1.csv', [
        row({ session_id: 'later', user_id: 'old', end_time: minutes(30) }),
        row({ session_id: 'tie', user_id: 'old', end_time: minutes(30) }),
        row({ session_id: 'earlier', user_id: 'old', end_time: minutes(30) }),
      ]),
    );
    const result = await loadFile(
      pool,
      file('raw/2.csv', [
        row({ session_id: 'later', user_id: 'new', end_time: minutes(31) }),
        row({ session_id: 'tie', user_id: 'new', end_time: minutes(30) }),
        row({ session_id: 'earlier', user_id: 'new', end_time: minutes(29) }),
        row({ session_id: 'fresh', user_id: 'new', end_time: minutes(30) }),
      ]),
    );
    expect([result.rowsLoaded, result.rowsInserted, result.rowsReplaced]).toEqual([2, 1, 1]);
    expect((await stored()).map((r) => [r.session_id, r.user_id])).toEqual([
      ['earlier', 'old'],
      ['fresh', 'new'],
      ['later', 'new'],
      ['tie', 'old'],
    ]);
    expect((await ledgerEntry(pool, 'raw/2.csv'))?.rowsLoaded).toBe(2);
  });

  it('reports the old and the new day of a replaced row that moved to another day', async () => {
    await loadFile(
      pool,
      file('raw/1.csv', [row({ session_id: 'M', end_time: minutes(30), event_date: '2025-03-10' })]),
    );
    await pool.query('UPDATE processed.day_changes SET aggregated_at = changed_at');
    const result = await loadFile(
      pool,
      file('raw/2.csv', [row({ session_id: 'M', end_time: minutes(40), event_date: '2025-03-11' })]),
    );
    expect(result).toEqual({
      rowsLoaded: 1,
      rowsInserted: 0,
      rowsReplaced: 1,
      eventDates: ['2025-03-10', '2025-03-11'],
    });
    expect(await pendingDays(pool)).toEqual(['2025-03-10', '2025-03-11']);
  });

  it('reports no rows and no days when nothing in the file is newer', async () => {
    const rows = [row({ session_id: 'X' })];
    await loadFile(pool, file('raw/x.csv', rows));
    expect(await loadFile(pool, file('raw/x-again.csv', rows))).toEqual({
      rowsLoaded: 0,
      rowsInserted: 0,
      rowsReplaced: 0,
      eventDates: [],
    });
    expect(await loadFile(pool, file('raw/empty.csv', []))).toEqual({
      rowsLoaded: 0,
      rowsInserted: 0,
      rowsReplaced: 0,
      eventDates: [],
    });
    expect((await ledgerEntry(pool, 'raw/empty.csv'))?.status).toBe('loaded');
  });

  it('reads rowsRead and rowsRejected after the rows, so a streaming caller can count as it goes', async () => {
    const counts = { read: 0, rejected: 0 };
    async function* counted(): AsyncGenerator<ProcessedRow[]> {
      for (const id of ['a', 'b', 'c']) {
        counts.read += 2;
        counts.rejected += 1;
        yield [row({ session_id: id })];
      }
    }
    await loadFile(pool, {
      key: 'raw/counted.csv',
      etag: 'e',
      size: 1,
      get rowsRead() {
        return counts.read;
      },
      get rowsRejected() {
        return counts.rejected;
      },
      rows: counted(),
    });
    const entry = await ledgerEntry(pool, 'raw/counted.csv');
    expect([entry?.rowsRead, entry?.rowsLoaded, entry?.rowsRejected]).toEqual([6, 3, 3]);
  });

  it('leaves nothing of a file whose rows throw midway, and rethrows that same error', async () => {
    await loadFile(pool, file('raw/before.csv', [row({ session_id: 'kept', end_time: minutes(10) })]));
    const before = await snapshot();
    const broken = new Error('row 5012: invalid UTF-8');
    let closed = false;
    async function* rows(): AsyncGenerator<ProcessedRow[]> {
      try {
        for (let i = 0; i < 50; i++) {
          yield Array.from({ length: 100 }, (_, j) =>
            row({ session_id: `s${i}-${j}`, event_date: '2025-04-01' }),
          );
        }
        yield [row({ session_id: 'kept', end_time: minutes(99) })];
        throw broken;
      } finally {
        closed = true;
      }
    }
    const error = await loadFile(pool, {
      key: 'raw/broken.csv',
      etag: 'e',
      size: 1,
      rowsRead: 0,
      rowsRejected: 0,
      rows: rows(),
    }).catch((e: unknown) => e);
    expect(error).toBe(broken);
    expect(closed).toBe(true);
    expect(await snapshot()).toEqual(before);
    // The connection went back to the pool in a usable state.
    expect(pool.totalCount).toBe(pool.idleCount);
    await expect(loadFile(pool, file('raw/after.csv', [row({ session_id: 'after' })]))).resolves.toEqual({
      rowsLoaded: 1,
      rowsInserted: 1,
      rowsReplaced: 0,
      eventDates: ['2025-03-10'],
    });
  });

  it('rethrows even a non-Error value thrown by the rows unchanged', async () => {
    async function* rows(): AsyncGenerator<ProcessedRow[]> {
      yield [row()];
      throw 'plain string';
    }
    await expect(
      loadFile(pool, { key: 'k', etag: 'e', size: 1, rowsRead: 0, rowsRejected: 0, rows: rows() }),
    ).rejects.toBe('plain string');
  });

  it('reports a value PostgreSQL refuses as load_failed naming the file, and keeps nothing', async () => {
    const before = await snapshot();
    let closed = false;
    async function* rows(): AsyncGenerator<ProcessedRow[]> {
      try {
        yield [row({ session_id: 'ok' })];
        yield [row({ session_id: 'bad', event_date: '2025-02-30' })];
        for (let i = 0; i < 1000; i++) yield [row({ session_id: `more${i}` })];
      } finally {
        closed = true;
      }
    }
    const error: unknown = await loadFile(pool, {
      key: 'raw/bad-date.csv',
      etag: 'e',
      size: 1,
      rowsRead: 0,
      rowsRejected: 0,
      rows: rows(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).code).toBe('load_failed');
    expect((error as WarehouseError).message).toMatch(
      /^loading raw\/bad-date\.csv into processed\.processed_data failed: .*2025-02-30/,
    );
    expect(closed).toBe(true);
    expect(await snapshot()).toEqual(before);
    expect(pool.totalCount).toBe(pool.idleCount);
  });

  it('serializes two loads of the same file from two pools: both succeed, the table is as after one', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) =>
      row({
        session_id: `c${i}`,
        end_time: minutes(30 + (i % 7)),
        event_date: i % 2 ? '2025-03-10' : '2025-03-11',
      }),
    );
    await loadFile(pool, file('raw/once.csv', rows, 250));
    const once = await stored();
    await pool.query('TRUNCATE processed.processed_data, processed.file_ledger, processed.day_changes');
    const other = db.newPool();
    const results = await Promise.all([
      loadFile(pool, file('raw/twice.csv', rows, 250)),
      loadFile(other, file('raw/twice.csv', rows, 250)),
    ]);
    expect(results.map((r) => r.rowsLoaded).sort()).toEqual([0, 2000]);
    expect(await stored()).toEqual(once);
    expect((await ledgerEntry(pool, 'raw/twice.csv'))?.status).toBe('loaded');
  });

  it('round-trips nasty text exactly through COPY', async () => {
    const nasty = [
      'He said "hi", then left',
      'tab\there',
      'line\nbreak and \r\n crlf',
      'back\\slash \\\\ double \\t not a tab',
      '\\N',
      'N',
      '\\.',
      "single ' quote",
      'ünïcødé — 日本語 🎬 \u200b zero-width',
      ' leading and trailing ',
      'comma,separated,"quoted"',
      '\u0001\u001f controls \u007f',
    ];
    const rows = nasty.map((title, i) =>
      row({ session_id: `n${i.toString().padStart(2, '0')}`, title, genre: title, region: title }),
    );
    await loadFile(pool, file('raw/nasty.csv', rows, 5));
    const result = await pool.query<{ title: string; genre: string; region: string }>(
      'SELECT title, genre, region FROM processed.processed_data ORDER BY session_id',
    );
    expect(result.rows.map((r) => r.title)).toEqual(nasty);
    expect(result.rows.map((r) => r.genre)).toEqual(nasty);
    expect(result.rows.map((r) => r.region)).toEqual(nasty);
  });

  it('stores instants to the millisecond and durations exactly', async () => {
    await loadFile(
      pool,
      file('raw/precise.csv', [
        row({
          session_id: 'p',
          start_time: Date.UTC(1999, 11, 31, 23, 59, 59, 999),
          end_time: Date.UTC(2000, 0, 1, 0, 0, 0, 1),
          duration_min: 0.01,
        }),
      ]),
    );
    const csv = await dumpProcessedCsv(pool);
    expect(csv.split('\n')[1]).toBe(
      'p,U1,C1,Title,Drama,North,tv,1999-12-31T23:59:59.999Z,2000-01-01T00:00:00.001Z,0.01,2025-03-10',
    );
  });

  it('streams many batches without trouble', async () => {
    async function* many(): AsyncGenerator<ProcessedRow[]> {
      for (let b = 0; b < 100; b++)
        yield Array.from({ length: 500 }, (_, i) => row({ session_id: `m${b}-${i}` }));
    }
    const result = await loadFile(pool, {
      key: 'raw/many.csv',
      etag: 'e',
      size: 1,
      rowsRead: 50_000,
      rowsRejected: 0,
      rows: many(),
    });
    expect(result.rowsLoaded).toBe(50_000);
  });
});

describe('stageCopyText', () => {
  it('loads COPY text bytes, split anywhere, exactly as loadFile loads the same rows', async () => {
    const rows = [
      row({ session_id: 'a', title: 'tab\there, line\nbreak, back\\slash, \\N, "quoted", ünïcødé 🎬' }),
      row({ session_id: 'b', end_time: minutes(50), duration_min: 45.51 }),
      row({ session_id: 'a', end_time: minutes(10), title: 'earlier' }),
    ];
    await loadFile(pool, file('raw/rows.csv', rows));
    const expected = await stored();
    await pool.query('TRUNCATE processed.processed_data, processed.file_ledger, processed.day_changes');
    const bytes = Buffer.from(rows.map((r, i) => copyLine(r, i * 10)).join(''));
    // Chunks cut through lines and through multi-byte characters.
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.length; at += 7) yield bytes.subarray(at, at + 7);
    }
    const staged = await stageCopyText(pool, {
      key: 'raw/rows.csv',
      etag: '"v1"',
      size: 100,
      rowsRead: 3,
      rowsRejected: 0,
      copyText: chunks(),
    });
    expect(await staged.commit()).toEqual({
      rowsLoaded: 2,
      rowsInserted: 2,
      rowsReplaced: 0,
      eventDates: ['2025-03-10'],
    });
    expect(await stored()).toEqual(expected);
    expect(await ledgerEntry(pool, 'raw/rows.csv')).toMatchObject({ status: 'loaded', rowsRead: 3 });
  });

  it('loads COPY CSV (quotes doubled, empty strings quoted, backslashes as they are) as loadFile loads the rows', async () => {
    const rows = [
      row({ session_id: 'a', title: 'comma, "quoted", line\nbreak\r, back\\slash \\N \\.', region: '' }),
      row({ session_id: 'b', end_time: minutes(50), duration_min: 45.51, genre: ' padded ' }),
    ];
    await loadFile(pool, file('raw/rows.csv', rows));
    const expected = await stored();
    await pool.query('TRUNCATE processed.processed_data, processed.file_ledger, processed.day_changes');
    const csvField = (value: string): string =>
      value === '' || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
    const csv = rows
      .map((r, i) => [...processedRowValues(r), String(i)].map(csvField).join(',') + '\n')
      .join('');
    const staged = await stageCopyText(pool, {
      key: 'raw/rows.csv',
      etag: '"v1"',
      size: 100,
      rowsRead: 2,
      rowsRejected: 0,
      copyText: (async function* () {
        yield csv;
      })(),
      format: 'csv',
    });
    expect(await staged.commit()).toMatchObject({ rowsLoaded: 2 });
    expect(await stored()).toEqual(expected);
  });

  it('leaves nothing when the bytes throw, and rethrows that same error', async () => {
    const boom = new Error('disk gone');
    async function* chunks(): AsyncGenerator<string> {
      yield copyLine(row(), 0);
      throw boom;
    }
    await expect(
      stageCopyText(pool, {
        key: 'raw/x.csv',
        etag: '"1"',
        size: 1,
        rowsRead: 1,
        rowsRejected: 0,
        copyText: chunks(),
      }),
    ).rejects.toBe(boom);
    expect(await stored()).toEqual([]);
  });
});
