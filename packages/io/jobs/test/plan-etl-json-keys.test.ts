import { rmSync } from 'node:fs';
import { DEFAULT_SETTINGS } from '@streampulse/schema';
import { stopTestServer } from '@streampulse/test-servers';
import { afterAll, describe, expect, it } from 'vitest';
import { runBothEngines, withoutErrors, writeLake } from './engines.js';

afterAll(stopTestServer);

// JSON records' keys reach the fields through a path list per distinct key list (the fast path),
// through per-record SQL (many key lists, a NUL in a key) or through the reference decoder (a
// repeated key). Whichever way, the ETL on the compiled plan must leave what the default engine leaves.

const start = Date.UTC(2025, 2, 10, 6, 0, 0);
const iso = (minutes: number): string => new Date(start + minutes * 60_000).toISOString();

function jsonLines(records: readonly string[]): string {
  return records.map((r) => `${r}\n`).join('');
}

/** Record texts written by hand where a key or value cannot come from JSON.stringify. */
const TRICKY = [
  // Keys with a dot, a slash, a tilde, quotes, an empty key, and values of every JSON kind.
  `{"Session.ID":"k1","user/id":"U1","content~id":"C1","start time":"${iso(0)}","END_TIME":"${iso(30)}","device'type":"Smart TV","":"empty key"}`,
  `{"session_id":"k2","user\\"id":"U2","contentId":7,"startTime":1741586400,"end_time":1741588200.5,"deviceType":true}`,
  // Two keys fold to user_id: the first by position wins, whichever kind it holds.
  `{"sessionId":"k3","userId":10.0,"user_id":"U9","contentId":"C1","start_time":"${iso(5)}","end_time":"${iso(9)}","device":["tv"]}`,
  `{"sessionId":"k4","viewer id":{"nested":"U1"},"user_id":"U1","contentId":"C2","start_time":"${iso(5)}","end_time":"${iso(9)}"}`,
  // Unicode keys and values, escapes in values, a huge integer id.
  `{"sessionId":"k5","ÜserId":"nope","customer-id":"U\\u00e9","contentId":12345678901234567890123,"start_time":"${iso(1)}","end_time":"${iso(2)}","device_type":"i\\tPad"}`,
  `{"sessionId":"k6","userId":"U1","contentId":"C1","start_time":null,"end_time":"${iso(2)}"}`,
  `[1,2,3]`,
  `"just a string"`,
  `{"sessionId":"k7","userId":"U1","contentId":"C1","start_time":"${iso(1)}","end_time":"${iso(1e9)}"}`,
];

/** A file whose records have more distinct key lists than the fast path takes. */
function manyKeyLists(count: number): string {
  return jsonLines(
    Array.from({ length: count }, (_, i) =>
      JSON.stringify({
        [`extra_${i}`]: i,
        session_id: `m${i}`,
        user_id: `U${i % 3}`,
        content_id: `C${i % 2}`,
        start_time: iso(i),
        end_time: iso(i + 1 + (i % 7)),
      }),
    ),
  );
}

describe('the ETL on the compiled plan on JSON keys of every shape', () => {
  it('leaves the same table, report and quarantine as the default engine', async () => {
    const files: Record<string, string> = {
      'raw/content_metadata/catalog.csv':
        'content_id,title,genre\nC1,One,Drama\nC2,Two,Comedy\n7,Seven,Action\n',
      'raw/user_profiles/users.jsonl': jsonLines([
        '{"user_id":"U1","region":"north"}',
        '{"User ID":"U2","Region":"south east","region":"ignored"}',
        '{"userId":10,"region":"ten"}',
      ]),
      'raw/playback/a-tricky.jsonl': jsonLines(TRICKY),
      'raw/playback/b-many-key-lists.jsonl': manyKeyLists(300),
      'raw/playback/c-nul-in-key.jsonl': jsonLines([
        `{"session_id":"n1","user\\u0000id":"U1","user_id":"U2","content_id":"C1","start_time":"${iso(0)}","end_time":"${iso(3)}"}`,
      ]),
    };
    const lake = writeLake(files);
    try {
      const { plan, reference } = await runBothEngines(lake, DEFAULT_SETTINGS);
      // The cases are real: rows loaded, rows rejected for several reasons.
      expect(reference.report.rows_loaded).toBeGreaterThan(300);
      expect(Object.keys(reference.report.rejected_by_reason).length).toBeGreaterThan(2);
      expect({ ...plan, report: withoutErrors(plan.report) }).toEqual({
        ...reference,
        report: withoutErrors(reference.report),
      });
    } finally {
      rmSync(lake, { recursive: true, force: true });
    }
  }, 60_000);
});

// A known defect of the DuckDB rendering (yyjson keeps the first of a repeated key, JSON.parse the
// last): fails until `@streampulse/contract-sql`'s DuckDB dialect reads repeated keys as the contract does.
describe('the ETL on the compiled plan on a repeated JSON key', () => {
  it.fails(
    'keeps the last value of the key, as the default engine does',
    async () => {
      const lake = writeLake({
        'raw/content_metadata/c.csv': 'content_id,title,genre\nC1,One,Drama\n',
        'raw/user_profiles/u.csv': 'user_id,region\nU1,North\n',
        'raw/playback/d-repeated-key.jsonl': jsonLines([
          `{"session_id":"r1","session_id":"r2","user_id":"U1","content_id":"C1","start_time":"${iso(0)}","end_time":"${iso(3)}"}`,
        ]),
      });
      try {
        const { plan, reference } = await runBothEngines(lake, DEFAULT_SETTINGS);
        expect(reference.table).toContain('r2,');
        expect(plan.table).toBe(reference.table);
      } finally {
        rmSync(lake, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
