import { activeUsersCsv, engagementCsv } from '@streampulse/aggregate';
import { goldenCases } from '@streampulse/golden';
import {
  DAILY_ACTIVE_USERS_COLUMNS,
  DAILY_ENGAGEMENT_COLUMNS,
  dailyActiveUsersRowSchema,
  dailyEngagementRowSchema,
  type ColumnSpec,
} from '@streampulse/schema';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAggregateSql, DUCKDB, POSTGRES, SqlPlanError } from '../src/index.js';
import { openDuckdb, rowsOf } from './support.js';

afterAll(stopTestServer);

/** A result row typed as the job types it: counts and measures as numbers. */
function typed(columns: readonly ColumnSpec[], raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    columns.map((c) => [
      c.name,
      c.duckdb === 'BIGINT' || c.duckdb === 'DOUBLE' ? Number(raw[c.name]) : raw[c.name],
    ]),
  );
}

function csvOf(
  engagement: Record<string, unknown>[],
  activeUsers: Record<string, unknown>[],
): [string, string] {
  return [
    engagementCsv(engagement.map((r) => dailyEngagementRowSchema.parse(typed(DAILY_ENGAGEMENT_COLUMNS, r)))),
    activeUsersCsv(
      activeUsers.map((r) => dailyActiveUsersRowSchema.parse(typed(DAILY_ACTIVE_USERS_COLUMNS, r))),
    ),
  ];
}

const PROCESSED_DDL =
  '(session_id VARCHAR, user_id VARCHAR, content_id VARCHAR, title VARCHAR, genre VARCHAR, region VARCHAR, ' +
  'device_type VARCHAR, start_time VARCHAR, end_time VARCHAR, duration_min DECIMAL(10, 2), event_date DATE)';

describe.each(goldenCases().map((c) => [`${c.origin}/${c.name}`, c] as const))(
  'the compiled aggregation SQL on golden case %s',
  (_, golden) => {
    const scratch = mkdtempSync(join(tmpdir(), 'streampulse-sql-'));
    const csvPath = join(scratch, 'processed.csv');
    writeFileSync(csvPath, golden.processedCsv);
    let duck: Awaited<ReturnType<typeof openDuckdb>>;
    beforeAll(async () => {
      duck = await openDuckdb();
      await duck.connection.run(`CREATE TABLE processed ${PROCESSED_DDL}`);
      await duck.connection.run(`COPY processed FROM '${csvPath}' (HEADER true, QUOTE '"', ESCAPE '"')`);
    });
    afterAll(() => {
      duck.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('gives every golden day its expected files on DuckDB', async () => {
      for (const day of golden.days) {
        const sql = compileAggregateSql(DUCKDB, { source: 'processed', day });
        const [engagement, activeUsers] = csvOf(
          await rowsOf(duck.connection, sql.engagement),
          await rowsOf(duck.connection, sql.activeUsers),
        );
        expect(engagement, day).toBe(golden.engagementCsv(day));
        expect(activeUsers, day).toBe(golden.activeUsersCsv(day));
      }
    });

    it('gives every golden day its expected files on PostgreSQL, the day as a parameter', async () => {
      const db = await createTestDatabase('agg');
      try {
        await db.pool.query(`CREATE TABLE processed ${PROCESSED_DDL.replaceAll('VARCHAR', 'text')}`);
        const rows = await rowsOf(duck.connection, 'SELECT * FROM processed');
        for (const row of rows) {
          await db.pool.query('INSERT INTO processed VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)', [
            ...Object.values(row),
          ]);
        }
        const sql = compileAggregateSql(POSTGRES, { source: 'processed', day: { parameter: '$1::date' } });
        for (const day of golden.days) {
          const [engagement, activeUsers] = csvOf(
            (await db.pool.query(sql.engagement, [day])).rows,
            (await db.pool.query(sql.activeUsers, [day])).rows,
          );
          expect(engagement, day).toBe(golden.engagementCsv(day));
          expect(activeUsers, day).toBe(golden.activeUsersCsv(day));
        }
      } finally {
        await db.drop();
      }
    });
  },
);

describe('compileAggregateSql', () => {
  it('refuses a day that is not YYYY-MM-DD rather than splicing it into SQL', () => {
    expect(() => compileAggregateSql(DUCKDB, { source: 't', day: "2025-03-14' OR 1=1" })).toThrow(
      SqlPlanError,
    );
  });

  it('rounds half-up in integers: 0.005 hours and a 0.005 average round up on every engine', async () => {
    const duck = await openDuckdb();
    try {
      await duck.connection.run(`CREATE TABLE processed ${PROCESSED_DDL}`);
      // 0.30 + 0.30 + 0.30 + 0.30 + 0.30 + 0.01 minutes = 1.51: /60 = 0.02516 -> 0.03; /6 = 0.2516 -> 0.25.
      // 0.03 minutes over 2 sessions = 0.015 -> 0.02 (half-up), where a double would give 0.01.
      const rows = [
        ...[0.3, 0.3, 0.3, 0.3, 0.3, 0.01].map(
          (m, i) => `('S${i}', 'U1', 'C1', 'T', 'G', 'R', 'tv', '', '', ${m}, DATE '2025-03-14')`,
        ),
        `('X1', 'U1', 'C2', 'T', 'G', 'R', 'tv', '', '', 0.01, DATE '2025-03-14')`,
        `('X2', 'U2', 'C2', 'T', 'G', 'R', 'tv', '', '', 0.02, DATE '2025-03-14')`,
      ];
      await duck.connection.run(`INSERT INTO processed VALUES ${rows.join(', ')}`);
      const sql = compileAggregateSql(DUCKDB, { source: 'processed', day: '2025-03-14' });
      const engagement = await rowsOf(duck.connection, sql.engagement);
      expect(
        engagement.map((r) => [
          r.content_id,
          r.total_watch_minutes,
          r.total_watch_hours,
          r.avg_session_duration_min,
        ]),
      ).toEqual([
        ['C1', '1.51', '0.03', '0.25'],
        ['C2', '0.03', '0.00', '0.02'],
      ]);
    } finally {
      duck.close();
    }
  });
});
