import { rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { DEFAULT_SETTINGS } from '@streampulse/schema';
import { stopTestServer } from '@streampulse/test-servers';
import { afterAll, describe, expect, it } from 'vitest';
import { runBothEngines, writeLake } from './engines.js';

afterAll(stopTestServer);

const playback =
  'session_id,user_id,content_id,start_time,end_time\ns1,U1,C1,2025-03-10T10:00:00Z,2025-03-10T10:30:00Z\n';
const gzipped = gzipSync(Buffer.from(playback));

/** Files whose bytes are not what their names say, in dimensions and playback alike. */
const FILES: Record<string, string | Uint8Array> = {
  'raw/content_metadata/catalog.csv': 'content_id,title,genre\nC1,One,Drama\n',
  'raw/user_profiles/not-gzip.csv.gz': 'user_id,region\nU1,North\n',
  'raw/user_profiles/users.csv': 'user_id,region\nU1,North\n',
  'raw/playback/a-good.csv': playback.replace('s1', 'g1'),
  'raw/playback/b-not-gzip.csv.gz': playback,
  'raw/playback/c-one-byte.csv.gz': 'x',
  'raw/playback/d-empty.csv.gz': '',
  'raw/playback/e-truncated.csv.gz': gzipped.subarray(0, gzipped.length - 9),
  'raw/playback/f-good.csv.gz': gzipSync(Buffer.from(playback.replace('s1', 'g2'))),
  // A value PostgreSQL text cannot store: the file fails alone, the run goes on.
  'raw/playback/g-nul.csv': playback.replace('s1', 'n\u0000ul'),
  'raw/playback/h-good.jsonl': `${JSON.stringify({ session_id: 'g3', user_id: 'U1', content_id: 'C1', start_time: '2025-03-10T10:00:00Z', end_time: '2025-03-10T10:05:00Z' })}\n`,
};

describe('the ETL on the compiled plan, on files that are not what their names say, or hold what PostgreSQL cannot store', () => {
  it('fails each such file alone, naming it, loads the others, and keeps running', async () => {
    const lake = writeLake(FILES);
    try {
      const { plan, reference } = await runBothEngines(lake, DEFAULT_SETTINGS);
      expect(reference.report.files_failed).toEqual([
        'raw/user_profiles/not-gzip.csv.gz',
        'raw/playback/b-not-gzip.csv.gz',
        'raw/playback/c-one-byte.csv.gz',
        'raw/playback/e-truncated.csv.gz',
        'raw/playback/g-nul.csv',
      ]);
      expect(reference.report.files.find((f) => f.key === 'raw/playback/g-nul.csv')?.error).toMatch(
        /NUL character/,
      );
      expect(reference.report.rows_loaded).toBe(3);
      expect(plan.table).toBe(reference.table);
      expect(plan.quarantine).toEqual(reference.quarantine);
      expect(plan.report.files_failed).toEqual(reference.report.files_failed);
      expect(plan.report.rows_loaded).toBe(reference.report.rows_loaded);
      // A file the plan cannot read fails with DuckDB's message, naming the file; a value
      // PostgreSQL cannot store fails with the warehouse's message, the same in both engines.
      const errorOf = (run: typeof plan, key: string) => run.report.files.find((f) => f.key === key)?.error;
      for (const key of plan.report.files_failed) {
        if (key === 'raw/playback/g-nul.csv') expect(errorOf(plan, key)).toBe(errorOf(reference, key));
        else expect(errorOf(plan, key)).toContain(key.split('/').pop());
      }
    } finally {
      rmSync(lake, { recursive: true, force: true });
    }
  }, 60_000);
});
