import type { ProcessedRow } from '@streampulse/schema';
import { describe, expect, it } from 'vitest';
import { SessionDeduper } from '../src/dedupe.js';
import { contentDimension, userDimension } from '../src/dimensions.js';
import { PlaybackJoin } from '../src/join.js';

const row = (
  session_id: string,
  end: number,
  device_type: ProcessedRow['device_type'] = 'tv',
): ProcessedRow => ({
  session_id,
  user_id: 'U1',
  content_id: 'C1',
  title: 'T',
  genre: 'G',
  region: 'R',
  device_type,
  start_time: 0,
  end_time: end,
  duration_min: 0,
  event_date: '2025-03-10',
});

describe('SessionDeduper', () => {
  it('keeps the row with the latest end_time', () => {
    const sessions = new SessionDeduper();
    sessions.offer(row('S1', 10));
    sessions.offer(row('S1', 20, 'web'));
    sessions.offer(row('S1', 15, 'mobile'));
    expect(sessions.rows()).toEqual([row('S1', 20, 'web')]);
    expect(sessions.duplicates).toBe(2);
  });

  it('keeps the row seen first on a tie', () => {
    const sessions = new SessionDeduper();
    sessions.offer(row('S1', 10, 'tv'));
    sessions.offer(row('S1', 10, 'web'));
    expect(sessions.rows()[0]?.device_type).toBe('tv');
  });

  it('orders rows by session_id in code-unit order', () => {
    const sessions = new SessionDeduper();
    for (const id of ['b', 'B', 'a', 'é', '10', '9']) sessions.offer(row(id, 1));
    expect(sessions.rows().map((r) => r.session_id)).toEqual(['10', '9', 'B', 'a', 'b', 'é']);
  });
});

describe('dimensions and the join', () => {
  it('lets the last row of an id win and skips rows without an id', () => {
    const content = contentDimension();
    content.add({ content_id: 'E1', title: 'First', genre: '|Drama' });
    content.add({ content_id: 'E1', title: 'Later', genre: 'drama' });
    content.add({ content_id: ' ', title: 'No id' });
    expect(content.get('E1')).toEqual({ title: 'Later', genre: 'Drama' });
    expect(content.counts).toEqual({ rowsRead: 3, rowsSkipped: 1 });
  });

  it('gives users of one region one shared value, and a later row of a user its own region', () => {
    const users = userDimension();
    users.add({ user_id: 'U1', region: 'north' });
    users.add({ user_id: 'U2', region: ' North ' });
    users.add({ user_id: 'U3', region: 'south' });
    users.add({ user_id: 'U1', region: 'south' });
    expect(users.get('U2')).toEqual({ region: 'North' });
    expect(users.get('U1')).toBe(users.get('U3'));
    expect(users.get('U1')).not.toBe(users.get('U2'));
  });

  it('fills Unknown for rows with no match and counts the orphans', () => {
    const users = userDimension();
    users.add({ user_id: 7, region: 'münchen ost' });
    const join = new PlaybackJoin(contentDimension(), users);
    const valid = {
      session_id: 'S',
      user_id: '7',
      content_id: 'X',
      device_type: 'tv' as const,
      start_time: 0,
      end_time: 60_000,
      duration_hundredths: 100,
      event_date: '2025-03-10',
    };
    expect(join.row(valid)).toMatchObject({
      title: 'Unknown',
      genre: 'Unknown',
      region: 'München Ost',
      duration_min: 1,
    });
    expect(join.row({ ...valid, user_id: '8' }).region).toBe('Unknown');
    expect(join.orphans).toEqual({ orphanContent: 2, orphanUser: 1 });
  });
});
