import type { ProcessedRow } from '@streampulse/schema';
import { describe, expect, it } from 'vitest';
import { aggregateByDay, DailyAggregator } from '../src/daily-aggregator.js';

const row = (patch: Partial<ProcessedRow>): ProcessedRow => ({
  session_id: 'S',
  user_id: 'U1',
  content_id: 'C1',
  title: 'T',
  genre: 'Drama',
  region: 'North',
  device_type: 'tv',
  start_time: 0,
  end_time: 1,
  duration_min: 1,
  event_date: '2025-03-10',
  ...patch,
});

describe('DailyAggregator', () => {
  it('counts distinct viewers, sessions and exact watch minutes per group', () => {
    const day = new DailyAggregator('2025-03-10');
    day.add(row({ session_id: 'a', user_id: 'U1', duration_min: 0.1 }));
    day.add(row({ session_id: 'b', user_id: 'U1', duration_min: 0.2 }));
    day.add(row({ session_id: 'c', user_id: 'U2', duration_min: 1005.01 }));
    const [group] = day.result().engagement;
    expect(group).toMatchObject({ unique_viewers: 2, sessions: 3, total_watch_minutes: 1005.31 });
  });

  it('rounds hours and averages half-up to two decimals', () => {
    const day = new DailyAggregator('2025-03-10');
    // 0.30 min / 60 = 0.005 h -> 0.01; 0.03 / 2 sessions = 0.015 -> 0.02
    day.add(row({ session_id: 'a', duration_min: 0.3, content_id: 'X' }));
    day.add(row({ session_id: 'b', duration_min: 0.01, content_id: 'Y' }));
    day.add(row({ session_id: 'c', duration_min: 0.02, content_id: 'Y' }));
    const [x, y] = day.result().engagement;
    expect(x?.total_watch_hours).toBe(0.01);
    expect(y?.avg_session_duration_min).toBe(0.02);
  });

  it('gives daily_active_users for the whole day and per region, device and genre', () => {
    const day = new DailyAggregator('2025-03-10');
    day.add(row({ session_id: 'a', user_id: 'U1', region: 'North', device_type: 'tv', genre: 'Drama' }));
    day.add(row({ session_id: 'b', user_id: 'U1', region: 'South', device_type: 'web', genre: 'Drama' }));
    day.add(row({ session_id: 'c', user_id: 'U2', region: 'North', device_type: 'web', genre: 'Comedy' }));
    const rows = day
      .result()
      .activeUsers.map((r) => [r.region, r.device_type, r.genre, r.active_users, r.sessions]);
    expect(rows).toEqual([
      ['ALL', 'ALL', 'ALL', 2, 3],
      ['ALL', 'ALL', 'Comedy', 1, 1],
      ['ALL', 'ALL', 'Drama', 1, 2],
      ['ALL', 'tv', 'ALL', 1, 1],
      ['ALL', 'web', 'ALL', 2, 2],
      ['North', 'ALL', 'ALL', 2, 2],
      ['South', 'ALL', 'ALL', 1, 1],
    ]);
  });

  it('refuses a row of another day', () => {
    expect(() => new DailyAggregator('2025-03-10').add(row({ event_date: '2025-03-11' }))).toThrow(
      /2025-03-11/,
    );
  });

  it('splits rows of several days, ascending', () => {
    const days = aggregateByDay([row({ event_date: '2025-03-11' }), row({ event_date: '2025-03-10' })]);
    expect(days.map((d) => d.eventDate)).toEqual(['2025-03-10', '2025-03-11']);
  });
});
