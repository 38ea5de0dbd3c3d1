import { describe, expect, it } from 'vitest';
import {
  DASHBOARD_QUERIES,
  dashboardDataFromQuery,
  DashboardQueryError,
  type QueryFunction,
} from '../src/index.js';

/** A query double that answers each dashboard query with the given columns and rows. */
function answering(
  answers: Record<keyof typeof DASHBOARD_QUERIES, { columns: string[]; rows: unknown[][] }>,
) {
  const asked: string[] = [];
  const query: QueryFunction = async (sql) => {
    asked.push(sql);
    const key = (Object.keys(DASHBOARD_QUERIES) as (keyof typeof DASHBOARD_QUERIES)[]).find(
      (k) => DASHBOARD_QUERIES[k] === sql,
    );
    if (!key) throw new Error(`unexpected SQL: ${sql}`);
    return answers[key];
  };
  return { query, asked };
}

const ANSWERS = {
  // Columns in another order than the SQL's, counts as bigint and decimal text: engines differ.
  topTitles: {
    columns: ['title', 'content_id', 'sessions', 'watch_hours', 'genre'],
    rows: [['Chai & "Chaos"', 'C2', 12n, '40.50', 'Drama']],
  },
  dailyViewers: {
    columns: ['event_date', 'unique_viewers', 'sessions', 'watch_hours', 'avg_session_duration_min'],
    rows: [['2025-03-01', 10, 12, 40.5, '3.38']],
  },
  watchHoursByDevice: { columns: ['device_type', 'watch_hours', 'sessions'], rows: [['tv', 40.5, 12]] },
  regionalEngagement: {
    columns: ['REGION', 'avg_daily_active_users', 'watch_hours', 'sessions'],
    rows: [['South', 10, 40.5, 12]],
  },
  genrePerformance: { columns: ['genre', 'watch_hours', 'sessions'], rows: [['Drama', 40.5, null]] },
  dailyActiveUsersByDevice: {
    columns: ['event_date', 'device_type', 'active_users'],
    rows: [[new Date('2025-03-01T00:00:00Z'), 'tv', 10]],
  },
};

describe('dashboardDataFromQuery', () => {
  it('runs the six queries one after another and finds columns by name', async () => {
    const { query, asked } = answering(ANSWERS);
    const data = await dashboardDataFromQuery(query);
    expect(asked).toEqual(Object.values(DASHBOARD_QUERIES));
    expect(data).toEqual({
      topTitles: [
        { contentId: 'C2', title: 'Chai & "Chaos"', genre: 'Drama', watchHours: 40.5, sessions: 12 },
      ],
      dailyViewers: [
        { date: '2025-03-01', uniqueViewers: 10, sessions: 12, watchHours: 40.5, avgSessionMinutes: 3.38 },
      ],
      watchHoursByDevice: [{ deviceType: 'tv', watchHours: 40.5, sessions: 12 }],
      regionalEngagement: [{ region: 'South', avgDailyActiveUsers: 10, watchHours: 40.5, sessions: 12 }],
      genrePerformance: [{ genre: 'Drama', watchHours: 40.5, sessions: 0 }],
      dailyActiveUsersByDevice: [{ date: '2025-03-01', deviceType: 'tv', activeUsers: 10 }],
    });
  });

  it('names the query and the column when an answer lacks one', async () => {
    const { query } = answering({ ...ANSWERS, watchHoursByDevice: { columns: ['device_type'], rows: [] } });
    const attempt = dashboardDataFromQuery(query);
    await expect(attempt).rejects.toThrow(DashboardQueryError);
    await expect(attempt).rejects.toThrow(
      /watchHoursByDevice query answered without column\(s\) watch_hours, sessions/,
    );
  });

  it('passes a failing query on as it is', async () => {
    const failure = new Error('table daily_engagement does not exist');
    await expect(dashboardDataFromQuery(async () => Promise.reject(failure))).rejects.toBe(failure);
  });
});

describe('DASHBOARD_QUERIES', () => {
  it('takes distinct counts from daily_active_users only, never from daily_engagement', () => {
    for (const sql of Object.values(DASHBOARD_QUERIES)) expect(sql).not.toMatch(/unique_viewers\s*\)/);
    expect(DASHBOARD_QUERIES.topTitles).not.toContain('unique_viewers');
    for (const key of ['dailyViewers', 'regionalEngagement', 'dailyActiveUsersByDevice'] as const) {
      expect(DASHBOARD_QUERIES[key]).toMatch(/FROM daily_active_users/);
      expect(DASHBOARD_QUERIES[key]).not.toContain('daily_engagement');
    }
  });

  it('selects the whole-day rows for daily unique viewers', () => {
    expect(DASHBOARD_QUERIES.dailyViewers).toContain(
      "region = 'ALL' AND device_type = 'ALL' AND genre = 'ALL'",
    );
  });
});
