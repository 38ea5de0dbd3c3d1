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

/**
 * Durations a COPY writer must write as `toFixed(2)` writes them: edges (zero, whole cents at
 * every size, values that are not whole cents, negatives), then 8,000 two-decimal values from a
 * fixed seed, up to a million and up to a hundred million minutes.
 */
export function durationCases(): number[] {
  const durations = [
    0,
    0.01,
    0.1,
    0.5,
    1,
    9.99,
    10,
    45.51,
    99.99,
    1440,
    9999.99,
    10_000,
    10_000.01,
    123_456.78,
    12_345_678.9,
    0.005,
    1 / 3,
    -0.01,
    -12.5,
    1e13,
  ];
  for (const [seed, count, scale] of [
    [7, 5000, 100_000_000],
    [5, 3000, 10_000_000_000],
  ] as const) {
    let state: number = seed;
    for (let i = 0; i < count; i++) {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      durations.push(Math.round((state / 2 ** 31) * scale) / 100);
    }
  }
  return durations;
}
