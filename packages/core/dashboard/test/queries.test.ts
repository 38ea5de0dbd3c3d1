import { describe, expect, it } from 'vitest';
import {
  DASHBOARD_QUERIES,
  dashboardDataFromQuery,
  dashboardQueries,
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

describe('dashboardQueries', () => {
  it('is DASHBOARD_QUERIES itself without a period', () => {
    expect(dashboardQueries()).toBe(DASHBOARD_QUERIES);
    expect(dashboardQueries({})).toBe(DASHBOARD_QUERIES);
  });

  it('reads every table only through the period, also inside the inlined top_titles view', () => {
    const queries = dashboardQueries({ from: '2025-03-02', to: '2025-03-08' });
    for (const [chart, sql] of Object.entries(queries)) {
      const reads = [...sql.matchAll(/FROM (\(SELECT \* FROM )?(daily_engagement|daily_active_users)\b/g)];
      expect(reads.length, chart).toBeGreaterThan(0);
      for (const read of reads) expect(read[1], `${chart}: ${read[0]}`).toBeDefined();
      expect(sql, chart).toContain("event_date >= DATE '2025-03-02' AND event_date <= DATE '2025-03-08'");
    }
    expect(queries.topTitles).not.toMatch(/FROM top_titles\b/);
    expect(queries.topTitles).toContain('ROW_NUMBER() OVER');
  });

  it('bounds one end only when one is given', () => {
    const queries = dashboardQueries({ to: '2025-03-08' });
    expect(queries.dailyViewers).toContain("WHERE event_date <= DATE '2025-03-08')");
    expect(queries.dailyViewers).not.toContain('event_date >=');
  });

  it('rejects a day that is not on the calendar, naming it', () => {
    expect(() => dashboardQueries({ from: '2025-02-30' })).toThrow(DashboardQueryError);
    expect(() => dashboardQueries({ from: '2025-02-30' })).toThrow(
      /from day "2025-02-30" is not a calendar day/,
    );
    expect(() => dashboardQueries({ to: "2025-03-01' OR 1=1 --" })).toThrow(/to day/);
  });

  it('rejects a start after the end', () => {
    expect(() => dashboardQueries({ from: '2025-03-09', to: '2025-03-08' })).toThrow(
      /starts on 2025-03-09, after its end 2025-03-08/,
    );
  });

  it('passes the period on to every query it runs', async () => {
    const asked: string[] = [];
    await dashboardDataFromQuery(
      async (sql) => {
        asked.push(sql);
        return { columns: [], rows: [] };
      },
      { from: '2025-03-02' },
    ).catch(() => undefined);
    expect(asked.length).toBeGreaterThan(0);
    for (const sql of asked) expect(sql).toContain("event_date >= DATE '2025-03-02'");
  });
});
