import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runEtlJob } from '@streampulse/jobs';
import { openLake } from '@streampulse/lake';
import { DEFAULT_SETTINGS, LAKE_LAYOUT } from '@streampulse/schema';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import { dumpProcessedCsv } from '@streampulse/warehouse';
import { afterAll, describe, expect, it } from 'vitest';
import { runDuckdbEtl, runDuckdbTransform } from '../src/index.js';

afterAll(stopTestServer);

const playback =
  'session_id,user_id,content_id,start_time,end_time\ns1,U1,C1,2025-03-10T10:00:00Z,2025-03-10T10:30:00Z\n';
const gzipped = gzipSync(Buffer.from(playback));

/** Files whose bytes are not what their names say, in dimensions and playback alike. */
const FILES: Record<string, string | Buffer> = {
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

function writeLake(): string {
  const dir = mkdtempSync(join(tmpdir(), 'streampulse-duckdb-broken-'));
  for (const [key, bytes] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, key)), { recursive: true });
    writeFileSync(join(dir, key), bytes);
  }
  return dir;
}

function quarantine(lakeDir: string): Record<string, string> {
  const root = join(lakeDir, LAKE_LAYOUT.rejectedPlayback);
  if (!existsSync(root)) return {};
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  return Object.fromEntries(
    walk(root).map((path) => [relative(lakeDir, path).split(sep).join('/'), readFileSync(path, 'utf8')]),
  );
}

describe('the DuckDB engine on files that are not what their names say, or hold what PostgreSQL cannot store', () => {
  it("fails each such file with the default engine's reason, loads the others, and keeps running", async () => {
    const duckLake = writeLake();
    const referenceLake = writeLake();
    const duck = await createTestDatabase('duck-broken');
    const reference = await createTestDatabase('ref-broken');
    try {
      const report = await runDuckdbEtl({
        lake: openLake(duckLake),
        pool: duck.pool,
        settings: DEFAULT_SETTINGS,
      });
      const expected = await runEtlJob({
        lake: openLake(referenceLake),
        pool: reference.pool,
        settings: DEFAULT_SETTINGS,
      });
      expect(expected.files_failed).toEqual([
        'raw/user_profiles/not-gzip.csv.gz',
        'raw/playback/b-not-gzip.csv.gz',
        'raw/playback/c-one-byte.csv.gz',
        'raw/playback/e-truncated.csv.gz',
        'raw/playback/g-nul.csv',
      ]);
      expect(expected.files.find((f) => f.key === 'raw/playback/g-nul.csv')?.error).toMatch(/NUL character/);
      expect(expected.rows_loaded).toBe(3);
      expect(report).toEqual(expected);
      expect(await dumpProcessedCsv(duck.pool)).toBe(await dumpProcessedCsv(reference.pool));
      expect(quarantine(duckLake)).toEqual(quarantine(referenceLake));

      const summary = await runDuckdbTransform({ lake: openLake(duckLake), settings: DEFAULT_SETTINGS });
      // Without PostgreSQL, a value it cannot store goes unnoticed: that file fails only on loading.
      expect(summary.files_failed).toEqual(
        expected.files_failed.filter((key) => key !== 'raw/playback/g-nul.csv'),
      );
    } finally {
      await duck.drop();
      await reference.drop();
      rmSync(duckLake, { recursive: true, force: true });
      rmSync(referenceLake, { recursive: true, force: true });
    }
  }, 60_000);
});
