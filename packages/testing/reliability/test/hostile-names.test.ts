import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  createTestDatabase,
  startS3,
  stopTestServer,
  type TestDatabase,
  type TestS3,
} from '@streampulse/test-servers';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DIMENSIONS,
  makeLake,
  playbackCsv,
  recordFigure,
  streampulse,
  type CommandRun,
} from '../src/index.js';

interface Report {
  files: { key: string; status: string; rows?: number }[];
  files_failed: string[];
  files_skipped: string[];
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('rel_names');
});
afterAll(async () => {
  await db.drop();
  await stopTestServer();
});

async function sessionsLike(pattern: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ session_id: string }>(
    `SELECT session_id FROM processed.processed_data WHERE session_id LIKE $1 ORDER BY 1`,
    [pattern],
  );
  return rows.map((row) => row.session_id);
}

// Each file's sessions carry a prefix of their own, so the table tells which files were read.
const named: Record<string, string> = {
  'raw/playback/dt=2025-03-10/with space.csv': 'SP',
  'raw/playback/dt=2025-03-10/ünïcödé-日本-🎬.csv': 'UNI',
  [`raw/playback/dt=2025-03-10/quote"and'apostrophe.csv`]: 'QU',
  'raw/playback/dt=2025-03-10/new\nline.csv': 'NL',
  [`raw/playback/${Array.from({ length: 60 }, (_, i) => `level${i}`).join('/')}/deep.csv`]: 'DEEP',
};
const ignored: Record<string, string> = {
  'raw/playback/_temporary/0/part.csv': 'IGA',
  'raw/playback/.hidden/part.csv': 'IGB',
  'raw/playback/dt=2025-03-10/_part.csv': 'IGC',
  'raw/playback/dt=2025-03-10/.part.csv': 'IGD',
  'raw/playback/dt=2025-03-10/sub/_deeper/part.csv': 'IGE',
  'raw/playback/dt=2025-03-10/sub/.deeper/more/part.csv': 'IGF',
};

describe('hostile names in a local lake', () => {
  let run: CommandRun;
  let report: Report;
  let outside: string;
  beforeAll(async () => {
    const files: Record<string, string> = {};
    for (const [key, prefix] of Object.entries({ ...named, ...ignored })) files[key] = playbackCsv(prefix, 3);
    // A dimension file in an ignored folder would rename every title if it were read.
    files['raw/content_metadata/_old/catalog.csv'] = 'content_id,title\nC1,WRONG TITLE\n';
    const lake = makeLake(files);
    outside = mkdtempSync(join(tmpdir(), 'streampulse-outside-'));
    mkdirSync(join(outside, 'folder'));
    writeFileSync(join(outside, 'folder', 'part.csv'), playbackCsv('OUTF', 3));
    writeFileSync(join(outside, 'part.csv'), playbackCsv('OUTL', 3));
    symlinkSync(join(outside, 'folder'), join(lake, 'raw/playback/dt=2025-03-10/linked-folder'));
    symlinkSync(join(outside, 'part.csv'), join(lake, 'raw/playback/dt=2025-03-10/linked-file.csv'));
    run = await streampulse(['etl', '--lake', lake, '--database-url', db.url, '--json']);
    report = JSON.parse(run.stdout) as Report;
    recordFigure('hostile names, local lake (5 named, 6 ignored, 2 outside links)', {
      peakRssMb: run.peakRssMb,
      seconds: run.seconds,
      rows: report.files.reduce((sum, file) => sum + (file.rows ?? 0), 0),
    });
  });

  it('loads files named with spaces, Unicode, quotes, a newline, 60 folders deep, under their own keys', async () => {
    expect(run.code, run.stderr).toBe(0);
    expect(report.files.map((file) => file.key).sort()).toEqual(Object.keys(named).sort());
    for (const prefix of Object.values(named)) expect(await sessionsLike(`${prefix}%`)).toHaveLength(3);
  });

  it('ignores names starting with _ or . at every level, dimension folders too', async () => {
    for (const prefix of Object.values(ignored)) expect(await sessionsLike(`${prefix}%`)).toEqual([]);
    expect(report.files_skipped).toEqual([]);
    const { rows } = await db.pool.query(
      `SELECT DISTINCT title FROM processed.processed_data WHERE content_id = 'C1'`,
    );
    expect(rows).toEqual([{ title: 'Title 1' }]);
  });

  it('does not follow links out of the lake, and says so once for each', async () => {
    expect(await sessionsLike('OUT%')).toEqual([]);
    const said = run.stderr.split('\n').filter((line) => line.includes('not followed'));
    expect(said).toHaveLength(2);
    expect(said.join('\n')).toContain('linked-folder');
    expect(said.join('\n')).toContain('linked-file.csv');
    expect(said.join('\n')).toContain(outside);
  });
});

describe('hostile names in an S3 lake', () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startS3();
    await s3.createBucket('names');
  });
  afterAll(async () => s3.stop());

  it('loads keys with spaces, Unicode, quotes and a newline, and no key comes out with a .. segment', async () => {
    const keys: Record<string, string> = {
      ...Object.fromEntries(Object.entries(named).filter(([key]) => !key.includes('level'))),
      'raw/playback/dt=2025-03-10/../escape.csv': 'DOTS',
      'raw/playback/dt=2025-03-10/./dot.csv': 'ONEDOT',
    };
    const put = async (key: string, body: string) =>
      s3.client.send(new PutObjectCommand({ Bucket: 'names', Key: `lake/${key}`, Body: body }));
    for (const [key, text] of Object.entries(DIMENSIONS)) await put(key, text);
    for (const [key, prefix] of Object.entries(keys)) await put(key, playbackCsv(prefix, 3));
    const run = await streampulse(
      ['etl', '--lake', 's3://names/lake', '--database-url', db.url, '--json'],
      s3.env,
    );
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    recordFigure('hostile names, S3 lake', { peakRssMb: run.peakRssMb, seconds: run.seconds });
    for (const [key, prefix] of Object.entries(keys)) {
      const dots = key.includes('/../') || key.includes('/./');
      // The SDK resolves . and .. in the request path before it leaves the process (RFC 3986), so
      // such a key is stored under its resolved name: no key of the lake has a dot segment.
      expect(await sessionsLike(`${prefix}%`), key).toHaveLength(3);
      expect(report.files.some((file) => file.key === key)).toBe(!dots);
    }
    for (const file of report.files) expect(file.key.split('/')).not.toContain('..');
  });

  it('refuses an --input key with a .. segment, in one line naming it', async () => {
    const lake = makeLake({ 'raw/playback/a.csv': playbackCsv('IN', 1) });
    writeFileSync(join(lake, '..', 'escape.csv'), playbackCsv('ESC', 1));
    const run = await streampulse([
      'etl',
      '--lake',
      lake,
      '--database-url',
      db.url,
      '--input',
      'raw/playback/../../../escape.csv',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/raw\/playback\/\.\.\/\.\.\/\.\.\/escape\.csv.*'\.\.' segment/);
    expect(await sessionsLike('ESC%')).toEqual([]);
  });
});
