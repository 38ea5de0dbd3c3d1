import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putCommand } from '../src/commands/put.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { fakeIo } from './support/fake-io.js';

const PLAYBACK = [
  'session_id,user_id,content_id,device_type,start_time,end_time',
  's1,u1,c1,Roku,2025-03-10T10:00:00Z,2025-03-10T10:45:00Z',
  's2,u2,c2,iPhone,2025-03-10T11:00:00Z,2025-03-10T11:30:30Z',
  's3,u1,c9,web,2025-03-10T12:00:00Z,2025-03-10T11:00:00Z',
].join('\n');

function lakeWithDimensions(): string {
  const root = mkdtempSync(join(tmpdir(), 'streampulse-put-lake-'));
  const files = {
    'raw/content_metadata/catalog.csv':
      'content_id,title,genre\nc1,The Long Night,Drama\nc2,Laugh Track,Comedy\n',
    'raw/user_profiles/users.csv': 'user_id,region\nu1,north\nu2,South\n',
  };
  for (const [key, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, key)), { recursive: true });
    writeFileSync(join(root, key), text);
  }
  return root;
}

function playbackFile(name: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'streampulse-put-src-')), name);
  writeFileSync(path, PLAYBACK);
  return path;
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

describe('streampulse put', () => {
  it('copies the file under raw/playback/ and its rows land in processed.processed_data through the plan the ETL trigger stored', async () => {
    const lake = lakeWithDimensions();
    const run = fakeIo();
    const code = await putCommand(
      [
        '--lake',
        lake,
        playbackFile('my sessions.csv'),
        '--key',
        'raw/playback/dt=2025-03-10/my sessions.csv',
        '--database-url',
        db.url,
      ],
      run.io,
    );
    expect(run.stderr()).toContain('"message":"job run started"');
    expect(code).toBe(0);
    expect(readFileSync(join(lake, 'raw/playback/dt=2025-03-10/my sessions.csv'), 'utf8')).toBe(PLAYBACK);
    expect(run.stdout()).toMatch(
      /^database: [^\n]+\nput raw\/playback\/dt=2025-03-10\/my sessions.csv \(\d+ bytes\) into /,
    );
    expect(run.stdout()).toMatch(
      /streampulse-etl run jr_duckdb_\w+ SUCCEEDED in \d+ s \(runner: duckdb\)\nrows: 1 rejected \(rejected\/playback\/_glue\/dt=2025-03-10\/my sessions.csv\/\); 2 in processed.processed_data\n$/,
    );
    // The run read the plan the trigger compiled and stored in the lake, as a Glue run would.
    const started = JSON.parse(
      run
        .stderr()
        .split('\n')
        .find((line) => line.includes('"job run started"')) ?? '{}',
    ) as { planPath?: string };
    expect(started.planPath).toMatch(
      /^file:\/\/.*\/scripts\/glue\/runs\/streampulse-etl\/[0-9a-f]{64}\.json$/,
    );
    const rows = await db.pool.query<{
      session_id: string;
      title: string;
      region: string;
      event_date: string;
    }>(
      `SELECT session_id, title, region, to_char(event_date, 'YYYY-MM-DD') AS event_date
         FROM processed.processed_data ORDER BY session_id`,
    );
    expect(rows.rows).toEqual([
      { session_id: 's1', title: 'The Long Night', region: 'North', event_date: '2025-03-10' },
      { session_id: 's2', title: 'Laugh Track', region: 'South', event_date: '2025-03-10' },
    ]);
  });

  it('puts under raw/playback/<file name> by default and reports the run as JSON; a second put of the same bytes is harmless', async () => {
    const lake = lakeWithDimensions();
    const file = playbackFile('day2.csv');
    const first = fakeIo();
    expect(await putCommand(['--lake', lake, file, '--database-url', db.url, '--json'], first.io)).toBe(0);
    const report = JSON.parse(first.stdout()) as {
      key: string;
      runner: string;
      runs: { state: string }[];
      rows: { rejected: number; processed: number };
    };
    expect(report.key).toBe('raw/playback/day2.csv');
    expect(report.runner).toBe('duckdb');
    expect(report.runs).toHaveLength(1);
    expect(report.runs[0]).toMatchObject({ state: 'SUCCEEDED' });
    expect(report.rows.rejected).toBe(1);
    const count = async () =>
      (await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM processed.processed_data')).rows[0]?.n;
    const before = await count();
    const second = fakeIo();
    expect(await putCommand(['--lake', lake, file, '--database-url', db.url, '--json'], second.io)).toBe(0);
    expect(await count()).toBe(before);
  });

  it('refuses a runner it does not know', async () => {
    await expect(
      putCommand(['--lake', lakeWithDimensions(), playbackFile('a.csv'), '--runner', 'flink'], fakeIo().io),
    ).rejects.toThrow(/--runner must be duckdb or spark, got "flink"/);
  });

  it('refuses a key outside raw/playback/ and a missing file', async () => {
    const lake = lakeWithDimensions();
    await expect(
      putCommand(['--lake', lake, playbackFile('a.csv'), '--key', 'raw/user_profiles/a.csv'], fakeIo().io),
    ).rejects.toThrow(/--key must name a file under raw\/playback\//);
    await expect(putCommand(['--lake', lake, join(lake, 'nope.csv')], fakeIo().io)).rejects.toThrow(
      /cannot read/,
    );
  });
});
