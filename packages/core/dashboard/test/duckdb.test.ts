import { DuckDBInstance } from '@duckdb/node-api';
import { activeUsersCsv, engagementCsv } from '@streampulse/aggregate';
import { createViewSql, DASHBOARD_VIEWS } from '@streampulse/analytics-sql';
import { DAILY_ACTIVE_USERS_COLUMNS, DAILY_ENGAGEMENT_COLUMNS, type ColumnSpec } from '@streampulse/schema';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardDataFromAggregates,
  dashboardDataFromQuery,
  type DashboardData,
  type DashboardPeriod,
} from '../src/index.js';
import { sampleAggregates } from './support/sample-data.js';

// The SQL is checked where it will run: DuckDB over the two tables loaded from the aggregate
// CSV files the daily job writes, against the in-memory computation over the same rows.
const scratch = mkdtempSync(join(tmpdir(), 'streampulse-dashboard-duckdb-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const columnTypes = (columns: readonly ColumnSpec[]) =>
  `{${columns.map((c) => `'${c.name}': '${c.duckdb}'`).join(', ')}}`;

async function viaDuckDb(
  engagement: string,
  activeUsers: string,
  period: DashboardPeriod = {},
): Promise<DashboardData> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const [table, path, columns] of [
      ['daily_engagement', engagement, DAILY_ENGAGEMENT_COLUMNS],
      ['daily_active_users', activeUsers, DAILY_ACTIVE_USERS_COLUMNS],
    ] as const) {
      await connection.run(
        `CREATE TABLE ${table} AS SELECT * FROM read_csv('${path}', header = true, auto_detect = false, columns = ${columnTypes(columns)})`,
      );
    }
    // The page reads the views Athena has, from their one text.
    for (const view of DASHBOARD_VIEWS.filter((v) => v.name === 'top_titles'))
      await connection.run(createViewSql(view));
    return await dashboardDataFromQuery(async (sql) => {
      const reader = await connection.runAndReadAll(sql);
      return { columns: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
    }, period);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const labels = (data: DashboardData) => ({
  titles: data.topTitles.map((t) => [t.contentId, t.title, t.genre, t.sessions]),
  days: data.dailyViewers.map((d) => [d.date, d.uniqueViewers, d.sessions, d.watchHours]),
  devices: data.watchHoursByDevice.map((d) => [d.deviceType, d.sessions]),
  regions: data.regionalEngagement.map((r) => [r.region, r.sessions, r.avgDailyActiveUsers]),
  genres: data.genrePerformance.map((g) => [g.genre, g.sessions]),
  dau: data.dailyActiveUsersByDevice,
});

describe('DASHBOARD_QUERIES in DuckDB', () => {
  let fromSql: DashboardData;
  let fromRows: DashboardData;
  let rows: Awaited<ReturnType<typeof sampleAggregates>>;
  let engagement: string;
  let activeUsers: string;
  beforeAll(async () => {
    rows = await sampleAggregates(5, 9);
    engagement = join(scratch, 'engagement.csv');
    activeUsers = join(scratch, 'active-users.csv');
    writeFileSync(engagement, engagementCsv(rows.engagement));
    writeFileSync(activeUsers, activeUsersCsv(rows.activeUsers));
    fromSql = await viaDuckDb(engagement, activeUsers);
    fromRows = dashboardDataFromAggregates(rows);
  }, 60_000);

  it('answers every chart with rows', () => {
    for (const [chart, rows] of Object.entries(fromSql)) expect(rows.length, chart).toBeGreaterThan(0);
    expect(fromSql.topTitles).toHaveLength(10);
    expect(fromSql.dailyViewers.map((d) => d.date)).toEqual([
      '2025-03-01',
      '2025-03-02',
      '2025-03-03',
      '2025-03-04',
      '2025-03-05',
    ]);
  });

  it('gives the same labels, order and counts as the in-memory computation', () => {
    expect(labels(fromSql)).toEqual(labels(fromRows));
  });

  it('covers only the chosen days, in every chart, when given a period', async () => {
    const inPeriod = (row: { event_date: string }) =>
      row.event_date >= '2025-03-02' && row.event_date <= '2025-03-03';
    const expected = dashboardDataFromAggregates({
      engagement: rows.engagement.filter(inPeriod),
      activeUsers: rows.activeUsers.filter(inPeriod),
    });
    const week = await viaDuckDb(engagement, activeUsers, { from: '2025-03-02', to: '2025-03-03' });
    expect(week.dailyViewers.map((d) => d.date)).toEqual(['2025-03-02', '2025-03-03']);
    expect(labels(week)).toEqual(labels(expected));
    // Totals over two days are smaller than over five: the period reached the top titles too.
    expect(week.topTitles[0]?.sessions).toBeLessThan(fromSql.topTitles[0]?.sessions ?? 0);
  });

  it('leaves the start or the end open when only one is given', async () => {
    const fromThird = await viaDuckDb(engagement, activeUsers, { from: '2025-03-03' });
    expect(fromThird.dailyViewers.map((d) => d.date)).toEqual(['2025-03-03', '2025-03-04', '2025-03-05']);
    const toSecond = await viaDuckDb(engagement, activeUsers, { to: '2025-03-02' });
    expect(toSecond.dailyActiveUsersByDevice.every((d) => d.date <= '2025-03-02')).toBe(true);
    expect(toSecond.dailyViewers.map((d) => d.date)).toEqual(['2025-03-01', '2025-03-02']);
  });

  it('sums watch hours to within a hundredth of the exact computation', () => {
    const hours = (data: DashboardData) => [
      ...data.topTitles.map((t) => t.watchHours),
      ...data.watchHoursByDevice.map((d) => d.watchHours),
      ...data.regionalEngagement.map((r) => r.watchHours),
      ...data.genrePerformance.map((g) => g.watchHours),
    ];
    const sql = hours(fromSql);
    const exact = hours(fromRows);
    expect(sql).toHaveLength(exact.length);
    sql.forEach((h, i) => expect(Math.abs(h - (exact[i] as number))).toBeLessThanOrEqual(0.0100001));
  });

  it('never adds distinct viewers up across groups', () => {
    // A region's viewers are some of the day's viewers: its daily average cannot exceed the
    // whole day's, which it would if viewers were summed over titles or devices.
    const dayAverage =
      fromSql.dailyViewers.reduce((s, d) => s + d.uniqueViewers, 0) / fromSql.dailyViewers.length;
    for (const region of fromSql.regionalEngagement)
      expect(region.avgDailyActiveUsers).toBeLessThanOrEqual(dayAverage);
  });
});
