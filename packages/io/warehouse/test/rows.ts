import type { ProcessedRow } from '@streampulse/schema';

const base = Date.UTC(2025, 2, 10, 9, 0, 0);

/** A valid processed row; override what the test is about. */
export function row(overrides: Partial<ProcessedRow> = {}): ProcessedRow {
  return {
    session_id: 'S1',
    user_id: 'U1',
    content_id: 'C1',
    title: 'Title',
    genre: 'Drama',
    region: 'North',
    device_type: 'tv',
    start_time: base,
    end_time: base + 45 * 60_000,
    duration_min: 45,
    event_date: '2025-03-10',
    ...overrides,
  };
}

/** `rows` as an async iterable of batches of `size`. */
export async function* batches(rows: readonly ProcessedRow[], size = 2): AsyncGenerator<ProcessedRow[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
