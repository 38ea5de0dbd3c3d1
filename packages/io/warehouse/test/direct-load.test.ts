import type { ProcessedRow } from '@streampulse/schema';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { loadFile, migrate, stageFile, type FileLoad, type FileLoadResult } from '../src/index.js';
import { SeenKeys } from '../src/seen-keys.js';
import { batches, row } from './rows.js';

// The direct load (a pool that can lend a second connection) must leave exactly what the staged
// load (a pool of one) leaves: the same table, the same days and the same counts per file.

afterAll(stopTestServer);

let direct: TestDatabase;
let staged: TestDatabase;
let stagedPool: pg.Pool;
beforeAll(async () => {
  [direct, staged] = await Promise.all([createTestDatabase('direct'), createTestDatabase('staged')]);
  stagedPool = new pg.Pool({ connectionString: staged.url, max: 1 });
  await Promise.all([migrate(direct.pool), migrate(stagedPool)]);
});
afterAll(async () => {
  await stagedPool?.end();
  await Promise.all([direct?.drop(), staged?.drop()]);
});
beforeEach(async () => {
  const truncate = 'TRUNCATE processed.processed_data, processed.file_ledger, processed.day_changes';
  await Promise.all([direct.pool.query(truncate), stagedPool.query(truncate)]);
});

const base = Date.UTC(2025, 2, 10, 3, 0, 0);
const DAYS = ['2025-03-09', '2025-03-10', '2025-03-11'];

/** A deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Files whose sessions repeat within a file and across files, with later, equal and earlier
 * ends and moving days; `size` rows each. Ids are long enough that a few thousand rows fill a
 * chunk, so stored sessions fall inside later chunks too.
 */
function lakeOf(seed: number, sizes: readonly number[]): ProcessedRow[][] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const known: string[] = [];
  let fresh = 0;
  return sizes.map((size) => {
    const rows: ProcessedRow[] = [];
    for (let i = 0; i < size; i++) {
      const roll = next();
      const id =
        roll < 0.05 && rows.length > 0
          ? (pick(rows.slice(-50)) as ProcessedRow).session_id // resent within the file
          : roll < 0.08 && known.length > 0
            ? pick(known) // a session an earlier file loaded
            : `session-${String(fresh++).padStart(8, '0')}-${'x'.repeat(120)}`;
      rows.push(
        row({
          session_id: id,
          user_id: `U${Math.floor(next() * 1000)}`,
          end_time: base + Math.floor(next() * 4) * 60_000,
          event_date: pick(DAYS),
        }),
      );
    }
    known.push(...rows.map((r) => r.session_id));
    return rows;
  });
}

function fileOf(index: number, rows: ProcessedRow[]): FileLoad {
  const key = `raw/playback/part-${index}.csv`;
  return {
    key,
    etag: `"${index}"`,
    size: 1,
    rowsRead: rows.length,
    rowsRejected: 0,
    rows: batches(rows, 97),
  };
}

async function contents(pool: pg.Pool): Promise<unknown[]> {
  // Every column as text PostgreSQL writes the same whatever the session's settings.
  const table = await pool.query(
    `SELECT session_id, user_id, content_id, title, genre, region, device_type,
            to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS start_time,
            to_char(end_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS end_time,
            duration_min::text AS duration_min, to_char(event_date, 'YYYY-MM-DD') AS event_date
       FROM processed.processed_data ORDER BY session_id COLLATE "C"`,
  );
  const days = await pool.query(
    `SELECT to_char(event_date, 'YYYY-MM-DD') AS event_date, changed_at FROM processed.day_changes ORDER BY 1`,
  );
  return [table.rows, days.rows];
}

async function loadAll(pool: pg.Pool, files: ProcessedRow[][]): Promise<FileLoadResult[]> {
  const results: FileLoadResult[] = [];
  for (const [index, rows] of files.entries()) {
    results.push(await loadFile(pool, fileOf(index, rows), { now: () => new Date(base + index * 1000) }));
  }
  return results;
}

describe('the direct load', () => {
  it.each([1, 2, 3])('leaves what the staged load leaves, file by file (seed %i)', async (seed) => {
    // The third file is larger than a chunk: stored sessions land in its later chunks.
    const files = lakeOf(seed, [400, 300, 40_000, 500]);
    const [byDirect, byStaged] = await Promise.all([loadAll(direct.pool, files), loadAll(stagedPool, files)]);
    expect(byDirect).toEqual(byStaged);
    expect(byDirect.some((result) => result.rowsReplaced > 0)).toBe(true);
    expect(await contents(direct.pool)).toEqual(await contents(stagedPool));
  });

  it('stores every value as the staged load stores it: any script, instants far from 2000, durations of any size', async () => {
    const instants = [
      -62_135_596_800_000, // 0001-01-01T00:00:00.000Z
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 0, 1),
      Date.UTC(2000, 0, 1, 0, 0, 0, 1),
      Date.UTC(2025, 2, 10, 9, 46, 40, 123),
      Date.UTC(2262, 3, 11, 23, 47, 16, 854),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    const durations = [
      0,
      0.01,
      0.5,
      1,
      45.51,
      99.99,
      9999.99,
      10_000,
      10_000.01,
      123_456.7,
      99_999_999.99,
      1 / 3,
    ];
    const texts = [
      'plain',
      'tab\there',
      'new\nline',
      'back\\slash \\N',
      'Ficção ünïcødé',
      '映画 🎬',
      'lone \ud800 half',
      '',
    ];
    const days = ['0001-01-01', '1999-12-31', '2000-01-01', '2000-02-29', '2025-03-10', '9999-12-31'];
    const rows = Array.from({ length: 64 }, (_, i) =>
      row({
        session_id: `S${i} ${texts[i % texts.length] as string}`,
        user_id: texts[(i + 1) % texts.length] as string,
        content_id: `C${i}`,
        title: texts[(i + 2) % texts.length] as string,
        genre: texts[(i + 3) % texts.length] as string,
        region: texts[(i + 5) % texts.length] as string,
        start_time: instants[i % instants.length] as number,
        end_time: instants[(i + 3) % instants.length] as number,
        duration_min: durations[i % durations.length] as number,
        event_date: days[i % days.length] as string,
      }),
    );
    const files = [rows.slice(0, 40), rows.slice(20)];
    const [byDirect, byStaged] = await Promise.all([loadAll(direct.pool, files), loadAll(stagedPool, files)]);
    expect(byDirect).toEqual(byStaged);
    const [table] = (await contents(direct.pool)) as [Record<string, string>[]];
    expect(table).toHaveLength(64);
    expect(table.find((r) => r.session_id === 'S6 lone \ufffd half')?.genre).toBe('tab\there');
    expect(await contents(direct.pool)).toEqual(await contents(stagedPool));
  });

  it('writes a resent session once, as inserted, and marks only the winning row’s day', async () => {
    const rows = [
      row({ session_id: 'S', end_time: base + 60_000, event_date: '2025-03-09' }),
      row({ session_id: 'S', end_time: base + 120_000, event_date: '2025-03-10' }),
    ];
    const [byDirect, byStaged] = await Promise.all([
      loadAll(direct.pool, [rows]),
      loadAll(stagedPool, [rows]),
    ]);
    expect(byDirect).toEqual([
      { rowsLoaded: 1, rowsInserted: 1, rowsReplaced: 0, eventDates: ['2025-03-10'] },
    ]);
    expect(byDirect).toEqual(byStaged);
    expect(await contents(direct.pool)).toEqual(await contents(stagedPool));
  });

  it('keeps the first row of a resent session on a tie, and the stored row against an equal end', async () => {
    await loadFile(direct.pool, fileOf(0, [row({ session_id: 'stored', user_id: 'old' })]));
    const result = await loadFile(
      direct.pool,
      fileOf(1, [
        row({ session_id: 'T', user_id: 'first' }),
        row({ session_id: 'stored', user_id: 'new' }),
        row({ session_id: 'T', user_id: 'second' }),
      ]),
    );
    expect([result.rowsInserted, result.rowsReplaced]).toEqual([1, 0]);
    const users = await direct.pool.query(
      'SELECT session_id, user_id FROM processed.processed_data ORDER BY 1',
    );
    expect(users.rows).toEqual([
      { session_id: 'T', user_id: 'first' },
      { session_id: 'stored', user_id: 'old' },
    ]);
  });

  it('takes a file of mostly resends, more than the side table holds at once, as the staged load does', async () => {
    const next = random(9);
    const rows = Array.from({ length: 12_000 }, () =>
      row({
        session_id: `R${Math.floor(next() * 60)}`,
        user_id: `U${Math.floor(next() * 1000)}`,
        end_time: base + Math.floor(next() * 5) * 60_000,
        event_date: DAYS[Math.floor(next() * DAYS.length)] as string,
      }),
    );
    const files = [rows.slice(0, 100), rows];
    const [byDirect, byStaged] = await Promise.all([loadAll(direct.pool, files), loadAll(stagedPool, files)]);
    expect(byDirect).toEqual(byStaged);
    expect(await contents(direct.pool)).toEqual(await contents(stagedPool));
  });

  it('holds the load lock from staging to commit', async () => {
    const locks = async (): Promise<number> =>
      Number(
        (
          await direct.pool.query(
            `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`,
          )
        ).rows[0].n,
      );
    const file = await stageFile(direct.pool, fileOf(0, [row({ session_id: 'L' })]));
    expect(await locks()).toBe(1);
    await file.commit();
    expect(await locks()).toBe(0);
  });
});

describe('SeenKeys', () => {
  it('never answers "not seen" for a key it saw, however many it holds', () => {
    const seen = new SeenKeys();
    const keys = Array.from({ length: 100_000 }, (_, i) => `S${i}`);
    const firstTime = keys.filter((key) => !seen.add(key)).length;
    expect(keys.every((key) => seen.add(key))).toBe(true);
    // A hash shared by two keys makes a first sighting look like a second: rare, never the reverse.
    expect(firstTime).toBeGreaterThan(99_900);
  });
});
