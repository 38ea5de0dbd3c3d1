import {
  ALL,
  type DailyActiveUsersRow,
  type DailyEngagementRow,
  type ProcessedRow,
} from '@streampulse/schema';
import { divideHalfUp, hundredthsToMinutes, minutesToHundredths } from '@streampulse/transform';

/** Both aggregate tables of one event_date. */
export interface DailyAggregates {
  readonly eventDate: string;
  readonly engagement: DailyEngagementRow[];
  readonly activeUsers: DailyActiveUsersRow[];
}

interface Group {
  readonly key: readonly string[];
  readonly users: Set<string>;
  sessions: number;
  /** Sum of duration_min in hundredths: exact integers, rounded only when divided. */
  hundredths: number;
}

function addTo(
  groups: Map<string, Group>,
  key: readonly string[],
  row: ProcessedRow,
  hundredths: number,
): void {
  // U+0000 cannot occur in the group's texts coming from CSV/JSON values that matter here,
  // and keeps the composite key unambiguous.
  const id = key.join('\u0000');
  let group = groups.get(id);
  if (!group) {
    group = { key, users: new Set(), sessions: 0, hundredths: 0 };
    groups.set(id, group);
  }
  group.users.add(row.user_id);
  group.sessions += 1;
  group.hundredths += hundredths;
}

function compareKeys(a: Group, b: Group): number {
  for (let i = 0; i < a.key.length; i += 1) {
    const x = a.key[i] ?? '';
    const y = b.key[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Aggregates the processed rows of one event_date into `daily_engagement` (one row per region,
 * device type, content, title and genre) and `daily_active_users` (the whole day, and per
 * region, device type and genre, with `ALL` in the columns not grouped on). Sums are exact
 * integer hundredths; hours and averages are rounded half-up to two decimals. Rows come out
 * sorted by their group columns in code-unit order.
 *
 * @example
 * const day = new DailyAggregator('2025-03-10');
 * for (const row of rows) day.add(row);
 * const { engagement, activeUsers } = day.result();
 */
export class DailyAggregator {
  readonly #engagement = new Map<string, Group>();
  readonly #activeUsers = new Map<string, Group>();

  constructor(readonly eventDate: string) {}

  /** Adds one processed row; rows of another event_date are a caller's bug. */
  add(row: ProcessedRow): void {
    if (row.event_date !== this.eventDate) {
      throw new RangeError(
        `row ${row.session_id} has event_date ${row.event_date}, aggregating ${this.eventDate}`,
      );
    }
    const hundredths = minutesToHundredths(row.duration_min);
    addTo(
      this.#engagement,
      [row.region, row.device_type, row.content_id, row.title, row.genre],
      row,
      hundredths,
    );
    addTo(this.#activeUsers, [ALL, ALL, ALL], row, hundredths);
    addTo(this.#activeUsers, [row.region, ALL, ALL], row, hundredths);
    addTo(this.#activeUsers, [ALL, row.device_type, ALL], row, hundredths);
    addTo(this.#activeUsers, [ALL, ALL, row.genre], row, hundredths);
  }

  result(): DailyAggregates {
    const event_date = this.eventDate;
    const engagement = [...this.#engagement.values()].sort(compareKeys).map((g): DailyEngagementRow => {
      const [region = '', device_type = '', content_id = '', title = '', genre = ''] = g.key;
      return {
        event_date,
        region,
        device_type,
        content_id,
        title,
        genre,
        unique_viewers: g.users.size,
        sessions: g.sessions,
        total_watch_minutes: hundredthsToMinutes(g.hundredths),
        total_watch_hours: hundredthsToMinutes(divideHalfUp(g.hundredths, 60)),
        avg_session_duration_min: hundredthsToMinutes(divideHalfUp(g.hundredths, g.sessions)),
      };
    });
    const activeUsers = [...this.#activeUsers.values()].sort(compareKeys).map((g): DailyActiveUsersRow => {
      const [region = '', device_type = '', genre = ''] = g.key;
      return {
        event_date,
        region,
        device_type,
        genre,
        active_users: g.users.size,
        sessions: g.sessions,
        total_watch_minutes: hundredthsToMinutes(g.hundredths),
        total_watch_hours: hundredthsToMinutes(divideHalfUp(g.hundredths, 60)),
      };
    });
    return { eventDate: event_date, engagement, activeUsers };
  }
}

/**
 * Aggregates rows of any dates, one {@link DailyAggregates} per event_date, ascending.
 *
 * @example
 * for (const day of aggregateByDay(rows)) console.log(day.eventDate, day.engagement.length);
 */
export function aggregateByDay(rows: Iterable<ProcessedRow>): DailyAggregates[] {
  const days = new Map<string, DailyAggregator>();
  for (const row of rows) {
    let day = days.get(row.event_date);
    if (!day) {
      day = new DailyAggregator(row.event_date);
      days.set(row.event_date, day);
    }
    day.add(row);
  }
  return [...days.keys()].sort().map((date) => (days.get(date) as DailyAggregator).result());
}
