import { describe, expect, it } from 'vitest';
import { createViewSql, DASHBOARD_VIEWS, type DashboardView } from '../src/index.js';

describe('DASHBOARD_VIEWS', () => {
  it('has the dashboard views, each named once', () => {
    expect(DASHBOARD_VIEWS.map((v) => v.name)).toEqual([
      'top_titles_by_watch_hours',
      'top_titles',
      'daily_unique_viewers',
      'watch_hours_by_device',
      'regional_engagement',
      'genre_performance',
      'daily_active_users_by_segment',
    ]);
  });

  it('never adds unique viewers up: distinct counts come from daily_active_users only', () => {
    for (const view of DASHBOARD_VIEWS) {
      expect(view.sql, view.name).not.toMatch(/SUM\s*\(\s*(unique_viewers|active_users)/i);
    }
    const counting = DASHBOARD_VIEWS.filter((v) => /unique_viewers|active_users/.test(v.sql));
    for (const view of counting) expect(view.sql, view.name).toContain('FROM daily_active_users');
  });

  it('keeps the partition columns so a date filter prunes partitions, in every view per day', () => {
    for (const view of DASHBOARD_VIEWS.filter((v) => v.name !== 'top_titles')) {
      expect(view.sql, view.name).toMatch(/^SELECT event_date, year, month, day,/);
    }
  });

  it('stays in the SQL both Trino and DuckDB read: no quoted identifiers, casts of engine types or ::', () => {
    for (const view of DASHBOARD_VIEWS) {
      expect(view.sql, view.name).not.toMatch(/["`]|::|\bILIKE\b|\bQUALIFY\b/);
      expect(view.sql.trim().endsWith(';'), view.name).toBe(false);
    }
  });

  it('qualifies the view name only when a database is given', () => {
    const view = DASHBOARD_VIEWS[0] as DashboardView;
    expect(createViewSql(view, 'streampulse').split('\n')[0]).toBe(
      'CREATE OR REPLACE VIEW streampulse.top_titles_by_watch_hours AS',
    );
    expect(createViewSql(view).split('\n')[0]).toBe('CREATE OR REPLACE VIEW top_titles_by_watch_hours AS');
  });
});
