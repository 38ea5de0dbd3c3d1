import { pipelineSettingsSchema } from '@streampulse/schema';
import {
  normalizeGenre,
  normalizeRegion,
  normalizeTitle,
  parseTimestamp,
  playbackRules,
  timeZone,
  validatePlayback,
} from '@streampulse/transform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dimensionSql,
  DUCKDB,
  PLAYBACK_FIELDS,
  playbackSql,
  recordFieldsSql,
  timestampValuesSql,
} from '../src/index.js';
import { openDuckdb, rowsOf } from './support.js';

// Thousands of generated values through the compiled DuckDB SQL and through the reference's own
// functions: every form, every edge, DST gaps and overlaps. Seeded, so a failure reproduces.

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(20250309);
const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const digits = (count: number): string => Array.from({ length: count }, () => int(0, 9)).join('');

// Local times around DST transitions in New York and Berlin (gaps, overlaps, and their edges).
const TRANSITIONS: readonly [number, number, number, number][] = [
  [2025, 3, 9, 2],
  [2025, 11, 2, 1],
  [2024, 3, 10, 2],
  [2024, 11, 3, 1],
  [2025, 3, 30, 2],
  [2025, 10, 26, 2],
  [2024, 3, 31, 2],
  [2024, 10, 27, 2],
];

function dateParts(): [number, number, number, number, number, number] {
  if (next() < 0.35) {
    const [y, m, d, h] = pick(TRANSITIONS);
    return [y, m, d, h + int(-1, 1), int(0, 59), int(0, 59)];
  }
  const year = pick([1999, 2000, 2024, 2025, 2099, 2100, int(1990, 2110)]);
  return [year, int(0, 13), int(0, 32), int(0, 25), int(0, 60), int(0, 60)];
}

function zoneSuffix(): string {
  return pick([
    '',
    '',
    'Z',
    'z',
    `+${pad(int(0, 25))}:${pad(int(0, 61))}`,
    `-${pad(int(0, 14))}${pad(int(0, 59))}`,
    `+${pad(int(0, 24))}`,
    ' +05:30',
    '+5:30',
  ]);
}

function timestampText(): string {
  const [y, mo, d, h, mi, s] = dateParts();
  const date = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
  const clock = `${pad(h)}:${pad(mi)}`;
  switch (int(0, 9)) {
    case 0:
      return `${digits(int(8, 15))}${next() < 0.5 ? `.${digits(int(0, 8))}` : ''}`;
    case 1:
      return `${int(946_684_700, 4_102_444_900)}${next() < 0.5 ? `.${digits(int(1, 7))}` : ''}`;
    case 2:
      return `${int(946_684_700_000, 4_102_444_900_000)}${next() < 0.3 ? `.${digits(2)}` : ''}`;
    case 3:
    case 4: {
      const seconds = next() < 0.8 ? `:${pad(s)}${next() < 0.4 ? `.${digits(int(1, 9))}` : ''}` : '';
      return `${date}${pick(['T', ' ', 't', 'T'])}${clock}${seconds}${zoneSuffix()}`;
    }
    case 5:
      return `${pad(y, 4)}/${pad(mo)}/${pad(d)} ${clock}${next() < 0.7 ? `:${pad(s)}` : ''}`;
    case 6: {
      const sep = pick(['/', '-']);
      const other = next() < 0.1 ? (sep === '/' ? '-' : '/') : sep;
      return `${pad(d)}${sep}${pad(mo)}${other}${pad(y, 4)} ${clock}${next() < 0.7 ? `:${pad(s)}` : ''}`;
    }
    case 7:
      return pick([
        '',
        ' ',
        'null',
        'yesterday',
        '2025-03-10',
        '2025-03-10T10:00:00,5Z',
        '1741600000.',
        '4/3/2025 9:05',
        'N/A',
      ]);
    case 8:
      return `${pick([' ', '\t', '\u00a0', '\u3000', ''])}${date}T${clock}:${pad(s)}Z${pick([' ', '\n', '\ufeff', ''])}`;
    default:
      return `${date} ${clock}:${pad(s)}`;
  }
}

/** A value as a JSON reader hands it over: text and kind, or a JSON number. */
function timestampValue(): { text: string | null; kind: string | null; value: unknown } {
  if (next() < 0.08) {
    const n =
      next() < 0.5
        ? int(946_684_800, 4_102_444_799) + Number(`0.${digits(int(1, 4))}`)
        : int(946_684_800_000, 4_102_444_799_999);
    return { text: String(n), kind: Number.isInteger(n) ? 'i' : 'n', value: n };
  }
  if (next() < 0.02) return { text: null, kind: null, value: undefined };
  const text = timestampText();
  return { text, kind: 's', value: text };
}

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin'] as const;

let duck: Awaited<ReturnType<typeof openDuckdb>>;
beforeAll(async () => {
  duck = await openDuckdb();
});
afterAll(() => duck.close());

function literal(value: string | null): string {
  return value === null ? 'NULL' : DUCKDB.text(value);
}

describe('the compiled DuckDB timestamp SQL', () => {
  const samples = Array.from({ length: 3000 }, timestampValue);
  const values = samples.map((s, i) => `(${i}, ${literal(s.text)}, ${literal(s.kind)})`).join(', ');

  it.each(ZONES)('reads every generated value as parseTimestamp does, source zone %s', async (zone) => {
    const sql = timestampValuesSql(DUCKDB, `SELECT * FROM (VALUES ${values}) AS v(i, ts_t, ts_k)`, zone);
    const rows = await rowsOf(duck.connection, `SELECT i, ts_ms FROM (${sql}) AS t ORDER BY i`);
    const context = { sourceZone: timeZone(zone) };
    const mismatches = samples
      .map((sample, i) => {
        const expected = parseTimestamp(sample.value, context) ?? null;
        const actual = rows[i]?.ts_ms === null ? null : Number(rows[i]?.ts_ms);
        return { value: sample.value, expected, actual };
      })
      .filter((m) => m.expected !== m.actual);
    expect(mismatches).toEqual([]);
    // The generator reaches every outcome: valid instants, invalid values, gaps and overlaps.
    expect(rows.filter((r) => r.ts_ms !== null).length).toBeGreaterThan(600);
    expect(rows.filter((r) => r.ts_ms === null).length).toBeGreaterThan(600);
  });
});

const TOKENS = ['', ' ', 'null', 'NONE', 'NaN', 'n/a', 'NA', '-', ' N/A ', '--', 'x'];
const WORDS = [
  'north',
  'EAST',
  'münchen',
  'são',
  'paulo',
  'sci-fi',
  'a1b',
  'Ölaf',
  "o'neil",
  '日本',
  'ΑΘΗΝΑ',
  'kids',
];
const SPACES = [' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\r\n'];

function descriptive(): string {
  if (next() < 0.2) return pick(TOKENS);
  const parts = Array.from({ length: int(1, 4) }, () => pick(WORDS));
  let text = parts.map((p) => p + pick(SPACES)).join(pick(['', '|', ',', ';', '/', ' ']));
  if (next() < 0.3) text = pick(SPACES) + text;
  if (next() < 0.2) text = pick(['|', ',', '/', ' ; ']) + text;
  return text;
}

function device(): string {
  return pick([
    'Smart TV',
    'smart_tv',
    'FireStick',
    'Fire TV',
    'iPhone',
    'IPAD',
    'PS5',
    'ps-4',
    'Xbox',
    'toaster',
    '--',
    '',
    'null',
    ' N/A ',
    'Chrome-cast',
    'web',
    'Desktop!',
    '📺',
    'tv2',
  ]);
}

function identifierText(): string {
  if (next() < 0.85)
    return pick([`S${digits(4)}`, ` S${digits(3)} `, `u-${digits(2)}`, `\u00a0C${digits(2)}\u00a0`]);
  return pick(['null', '', ' ', 'N/A', '-', 'NONE']);
}

describe('the compiled DuckDB row rules', () => {
  it.each([
    ['UTC', 'Asia/Kolkata'],
    ['America/New_York', 'America/New_York'],
    ['Europe/Berlin', 'Asia/Kolkata'],
  ])(
    'judge and normalize generated rows as validatePlayback does (source %s, reporting %s)',
    async (source, reporting) => {
      const settings = pipelineSettingsSchema.parse({ sourceTimeZone: source, reportingTimeZone: reporting });
      const rules = playbackRules(settings);
      const records = Array.from({ length: 2000 }, () => {
        // Mostly sessions on a DST day, starting near the transition (gaps, overlaps, both sides).
        const day = pick(['03-09', '03-30', '11-02', '10-26', '11-03']);
        const start =
          next() < 0.75
            ? `2025-${day} 0${int(0, 3)}:${pad(int(0, 59))}:${pad(int(0, 59))}.${digits(3)}`
            : timestampText();
        const end =
          next() < 0.75
            ? `2025-${day} ${pad(int(1, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}.${digits(int(1, 4))}`
            : timestampText();
        return [identifierText(), identifierText(), identifierText(), device(), start, end] as const;
      });
      const header = ['session_id', 'user_id', 'content_id', 'device_type', 'start_time', 'end_time'];
      const values = records
        .map((r, i) => `(${i + 1}, 6, ${r.map((v) => literal(v)).join(', ')})`)
        .join(', ');
      await duck.connection.run(
        `CREATE OR REPLACE TABLE rec AS SELECT * FROM (VALUES ${values}) AS v(row_num, nfields, c0, c1, c2, c3, c4, c5)`,
      );
      await duck.connection.run(
        'CREATE OR REPLACE TABLE dim_content (content_id VARCHAR, title VARCHAR, genre VARCHAR)',
      );
      await duck.connection.run('CREATE OR REPLACE TABLE dim_user (user_id VARCHAR, region VARCHAR)');
      const fields = recordFieldsSql(
        DUCKDB,
        { format: 'delimited', relation: 'rec', header },
        0,
        PLAYBACK_FIELDS,
      );
      const sql = playbackSql(DUCKDB, fields, settings, { content: 'dim_content', users: 'dim_user' });
      const rows = await rowsOf(duck.connection, `SELECT * FROM (${sql}) AS p ORDER BY row_num`);
      const mismatches = records.flatMap((record, i) => {
        const result = validatePlayback(Object.fromEntries(header.map((h, j) => [h, record[j]])), rules);
        const row = rows[i] ?? {};
        const expected = result.ok
          ? {
              reason: null,
              session_id: result.value.session_id,
              user_id: result.value.user_id,
              content_id: result.value.content_id,
              device_type: result.value.device_type,
              start_ms: result.value.start_time,
              end_ms: result.value.end_time,
              duration_hundredths: result.value.duration_hundredths,
              event_date: result.value.event_date,
            }
          : { reason: result.reason };
        const actual = result.ok
          ? {
              reason: row.reason,
              session_id: row.session_id,
              user_id: row.user_id,
              content_id: row.content_id,
              device_type: row.device_type,
              start_ms: Number(row.start_ms),
              end_ms: Number(row.end_ms),
              duration_hundredths: Number(row.duration_hundredths),
              event_date: row.event_date,
            }
          : { reason: row.reason };
        return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [{ record, expected, actual }];
      });
      expect(mismatches).toEqual([]);
      expect(rows.filter((r) => r.reason === null).length).toBeGreaterThan(200);
    },
  );

  it('normalize generated titles, genres and regions as the reference does', async () => {
    const samples = Array.from(
      { length: 2000 },
      (_, i) => [`C${i}`, descriptive(), descriptive(), descriptive()] as const,
    );
    const values = samples.map((s, i) => `(${i + 1}, 4, ${s.map((v) => literal(v)).join(', ')})`).join(', ');
    await duck.connection.run(
      `CREATE OR REPLACE TABLE dims AS SELECT * FROM (VALUES ${values}) AS v(row_num, nfields, c0, c1, c2, c3)`,
    );
    const header = ['content_id', 'title', 'genre', 'region'];
    const content = dimensionSql(
      DUCKDB,
      'content',
      recordFieldsSql(DUCKDB, { format: 'delimited', relation: 'dims', header }, 0, [
        'content_id',
        'title',
        'genre',
      ]),
    );
    const users = dimensionSql(
      DUCKDB,
      'users',
      recordFieldsSql(
        DUCKDB,
        { format: 'delimited', relation: 'dims', header: ['user_id', 'x', 'y', 'region'] },
        0,
        ['user_id', 'region'],
      ),
    );
    const rows = await rowsOf(
      duck.connection,
      `SELECT c.content_id, c.title, c.genre, u.region FROM (${content}) AS c JOIN (${users}) AS u ON u.user_id = c.content_id ` +
        `ORDER BY CAST(substr(c.content_id, 2) AS INTEGER)`,
    );
    const expected = samples.map(([id, t, g, r]) => ({
      content_id: id,
      title: normalizeTitle(t),
      genre: normalizeGenre(g),
      region: normalizeRegion(r),
    }));
    expect(rows).toEqual(expected);
  });
});
