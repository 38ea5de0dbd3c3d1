import { goldenCases } from '@streampulse/golden';
import type { ProcessedRow } from '@streampulse/schema';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { batches, row } from './rows.js';
import {
  dumpProcessedCsv,
  ledgerEntry,
  loadedEtags,
  loadFile,
  markDaysAggregated,
  migrate,
  pendingDays,
  recordFileFailure,
  type FileLoad,
} from '../src/index.js';

afterAll(stopTestServer);

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase('queries');
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

function file(key: string, rows: ProcessedRow[], etag = `"${key}"`): FileLoad {
  return { key, etag, size: 10, rowsRead: rows.length, rowsRejected: 0, rows: batches(rows, 100) };
}

describe('file ledger', () => {
  it('records a failure with its error and no counts, replacing an earlier entry', async () => {
    await loadFile(pool, file('raw/f.csv', [row()]));
    await recordFileFailure(
      pool,
      { key: 'raw/f.csv', etag: '"v2"', size: 77, error: 'not UTF-8 at byte 12' },
      { now: at('2025-03-12T08:00:00Z') },
    );
    expect(await ledgerEntry(pool, 'raw/f.csv')).toEqual({
      key: 'raw/f.csv',
      etag: '"v2"',
      size: 77,
      status: 'failed',
      rowsRead: null,
      rowsLoaded: null,
      rowsRejected: null,
      error: 'not UTF-8 at byte 12',
      startedAt: new Date('2025-03-12T08:00:00Z'),
      finishedAt: new Date('2025-03-12T08:00:00Z'),
    });
  });

  it('knows nothing of a file never seen', async () => {
    expect(await ledgerEntry(pool, 'raw/never.csv')).toBeUndefined();
  });

  it('lists the ETags of loaded files only', async () => {
    await loadFile(pool, file('raw/a.csv', [row({ session_id: 'a' })], '"ea"'));
    await loadFile(pool, file('raw/b.csv', [row({ session_id: 'b' })], '"eb"'));
    await recordFileFailure(pool, { key: 'raw/c.csv', etag: '"ec"', size: 1, error: 'broken' });
    await recordFileFailure(pool, { key: 'raw/b.csv', etag: '"eb2"', size: 1, error: 'new version broken' });
    expect(await loadedEtags(pool)).toEqual(new Map([['raw/a.csv', '"ea"']]));
  });

  it('marks a file loaded again after a failure when it loads', async () => {
    await recordFileFailure(pool, { key: 'raw/r.csv', etag: '"e1"', size: 1, error: 'broken' });
    await loadFile(pool, file('raw/r.csv', [row()], '"e2"'));
    const entry = await ledgerEntry(pool, 'raw/r.csv');
    expect([entry?.status, entry?.etag, entry?.error]).toEqual(['loaded', '"e2"', null]);
  });
});

describe('pending days', () => {
  it('lists changed days ascending until they are marked aggregated', async () => {
    await loadFile(
      pool,
      file('raw/d.csv', [
        row({ session_id: 'a', event_date: '2025-03-12' }),
        row({ session_id: 'b', event_date: '2024-12-31' }),
        row({ session_id: 'c', event_date: '2025-03-10' }),
      ]),
      { now: at('2025-03-13T00:00:00Z') },
    );
    expect(await pendingDays(pool)).toEqual(['2024-12-31', '2025-03-10', '2025-03-12']);
    await markDaysAggregated(pool, ['2024-12-31', '2025-03-12'], new Date('2025-03-13T01:00:00Z'));
    expect(await pendingDays(pool)).toEqual(['2025-03-10']);
    await markDaysAggregated(pool, [], new Date('2025-03-13T01:00:00Z'));
    expect(await pendingDays(pool)).toEqual(['2025-03-10']);
  });

  it('makes a day pending again when a later load changes it after aggregation', async () => {
    await loadFile(pool, file('raw/1.csv', [row({ session_id: 'a', end_time: 1_000 })]), {
      now: at('2025-03-13T00:00:00Z'),
    });
    await markDaysAggregated(pool, ['2025-03-10'], new Date('2025-03-13T01:00:00Z'));
    expect(await pendingDays(pool)).toEqual([]);
    // Nothing newer: the day stays aggregated.
    await loadFile(pool, file('raw/2.csv', [row({ session_id: 'a', end_time: 1_000 })]), {
      now: at('2025-03-13T02:00:00Z'),
    });
    expect(await pendingDays(pool)).toEqual([]);
    await loadFile(pool, file('raw/3.csv', [row({ session_id: 'a', end_time: 2_000 })]), {
      now: at('2025-03-13T03:00:00Z'),
    });
    expect(await pendingDays(pool)).toEqual(['2025-03-10']);
  });

  it('keeps a day pending when it changed after the time its aggregation started', async () => {
    await loadFile(pool, file('raw/1.csv', [row({ session_id: 'a' })]), { now: at('2025-03-13T05:00:00Z') });
    await markDaysAggregated(pool, ['2025-03-10'], new Date('2025-03-13T04:00:00Z'));
    expect(await pendingDays(pool)).toEqual(['2025-03-10']);
  });

  it('never moves a day stamp backwards', async () => {
    await loadFile(pool, file('raw/1.csv', [row({ session_id: 'a' })]), { now: at('2025-03-13T05:00:00Z') });
    await markDaysAggregated(pool, ['2025-03-10'], new Date('2025-03-13T06:00:00Z'));
    await markDaysAggregated(pool, ['2025-03-10'], new Date('2025-03-13T01:00:00Z'));
    expect(await pendingDays(pool)).toEqual([]);
  });
});

describe('dumpProcessedCsv', () => {
  it('writes a header, rows in code-unit order of session_id, and quotes only where needed', async () => {
    await loadFile(
      pool,
      file('raw/csv.csv', [
        row({ session_id: 'b', title: 'Plain', duration_min: 0, end_time: Date.UTC(2025, 2, 10, 9, 0) }),
        row({ session_id: 'B', title: 'Comma, "quoted"', genre: 'multi\nline', duration_min: 45.51 }),
        row({ session_id: 'a', title: 'tab\tand\\back', region: 'München Ost' }),
        row({ session_id: '10', title: 'cr\rhere' }),
      ]),
    );
    expect(await dumpProcessedCsv(pool)).toBe(
      [
        'session_id,user_id,content_id,title,genre,region,device_type,start_time,end_time,duration_min,event_date',
        '10,U1,C1,"cr\rhere",Drama,North,tv,2025-03-10T09:00:00.000Z,2025-03-10T09:45:00.000Z,45.00,2025-03-10',
        'B,U1,C1,"Comma, ""quoted""","multi\nline",North,tv,2025-03-10T09:00:00.000Z,2025-03-10T09:45:00.000Z,45.51,2025-03-10',
        'a,U1,C1,tab\tand\\back,Drama,München Ost,tv,2025-03-10T09:00:00.000Z,2025-03-10T09:45:00.000Z,45.00,2025-03-10',
        'b,U1,C1,Plain,Drama,North,tv,2025-03-10T09:00:00.000Z,2025-03-10T09:00:00.000Z,0.00,2025-03-10',
        '',
      ].join('\n'),
    );
  });

  it('writes only the header for an empty table', async () => {
    expect(await dumpProcessedCsv(pool)).toBe(
      'session_id,user_id,content_id,title,genre,region,device_type,start_time,end_time,duration_min,event_date\n',
    );
  });

  it.each(goldenCases().map((c) => [c.name, c] as const))(
    'reproduces golden case %s exactly after a load',
    async (_name, golden) => {
      const [header = [], ...records] = parseCsv(golden.processedCsv);
      const expected = records.map((values) => {
        const record = Object.fromEntries(header.map((name, i) => [name, values[i] ?? '']));
        return {
          ...record,
          start_time: Date.parse(record.start_time ?? ''),
          end_time: Date.parse(record.end_time ?? ''),
          duration_min: Number(record.duration_min),
        } as unknown as ProcessedRow;
      });
      // Reversed, so the dump's order comes from the dump and not from the load.
      await loadFile(pool, file(`golden/${golden.name}`, expected.reverse()));
      expect(await dumpProcessedCsv(pool)).toBe(golden.processedCsv);
    },
  );
});
