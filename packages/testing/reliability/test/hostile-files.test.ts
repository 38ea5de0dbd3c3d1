import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, createGzip } from 'node:zlib';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bySize,
  makeLake,
  PLAYBACK_HEADER,
  playbackCsv,
  playbackRows,
  recordFigure,
  streampulse,
  writeLakeFiles,
  type CommandRun,
} from '../src/index.js';

interface FileEntry {
  key: string;
  status: string;
  rows?: number;
  error?: string;
}
interface Report {
  files: FileEntry[];
  rows_loaded: number;
  rows_rejected: number;
  rejected_by_reason: Record<string, number>;
  files_failed: string[];
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('rel_hostile');
});
afterAll(async () => {
  await db.drop();
  await stopTestServer();
});

async function etl(lake: string): Promise<{ run: CommandRun; report: Report }> {
  const run = await streampulse(['etl', '--lake', lake, '--database-url', db.url, '--force', '--json']);
  expect(run.stderr).not.toMatch(/unexpected error/);
  expect(run.stdout, `exit ${run.code} ${run.signal ?? ''}: ${run.stderr}`).not.toBe('');
  return { run, report: JSON.parse(run.stdout) as Report };
}

function entry(report: Report, name: string): FileEntry {
  const found = report.files.find((file) => file.key.endsWith(`/${name}`));
  if (!found) throw new Error(`no report entry for ${name}: ${JSON.stringify(report.files)}`);
  return found;
}

async function storedSessions(prefix: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM processed.processed_data WHERE session_id LIKE $1 || '%'`,
    [prefix],
  );
  return rows[0]?.n ?? 0;
}

const dir = 'raw/playback/dt=2025-03-10';
const wideHeader = PLAYBACK_HEADER + ',' + Array.from({ length: 9_994 }, (_, i) => `extra_${i}`).join(',');
const wideRow = (i: number) =>
  playbackRows('W', 1, i).trimEnd() + ',' + Array.from({ length: 9_994 }, () => 'x').join(',');
const deep = 100_000;
const tenMb = 10 * 1024 * 1024;
const goodGzip = gzipSync(playbackCsv('T', 200));

describe('hostile files in one lake: each fails or loads on its own, the good file loads', () => {
  const files: Record<string, string | Uint8Array> = {
    [`${dir}/good.csv`]: playbackCsv('G', 50),
    [`${dir}/garbage.csv`]: randomBytes(64 * 1024),
    [`${dir}/not-gzip.csv.gz`]: playbackCsv('NG', 5),
    [`${dir}/truncated.csv.gz`]: goodGzip.subarray(0, Math.floor(goodGzip.length / 2)),
    [`${dir}/wide.csv`]: `${wideHeader}\n${wideRow(0)}\n${wideRow(1)}\n`,
    [`${dir}/invalid-utf8.csv`]: Buffer.concat([
      Buffer.from(playbackCsv('IU', 3)),
      Buffer.from([0x49, 0x55, 0xff, 0xfe, 0x2c]),
      Buffer.from(',U1,C1,Roku,2025-03-10T00:00:00Z,2025-03-10T00:10:00Z\n'),
    ]),
    [`${dir}/utf16.csv`]: Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(playbackCsv('U16', 3), 'utf16le'),
    ]),
    [`${dir}/deep-array.json`]: '[' + '['.repeat(deep) + ']'.repeat(deep) + ']',
    [`${dir}/deep-object.jsonl`]: '{"a":'.repeat(deep) + '1' + '}'.repeat(deep) + '\n',
    [`${dir}/nul-in-value.csv`]: `${PLAYBACK_HEADER}\nNUL1\u0000x,U1,C1,Roku,2025-03-10T00:00:00Z,2025-03-10T00:10:00Z\n`,
    [`${dir}/nul-in-ignored-column.csv`]: `${PLAYBACK_HEADER},note\nNULOK1,U1,C1,Roku,2025-03-10T00:00:00Z,2025-03-10T00:10:00Z,a\u0000b\n`,
    [`${dir}/ten-mb-device.csv`]: `${PLAYBACK_HEADER}\nBIGDEV1,U1,C1,${'d'.repeat(tenMb)},2025-03-10T00:00:00Z,2025-03-10T00:10:00Z\n`,
    [`${dir}/ten-mb-session-id.csv`]: `${PLAYBACK_HEADER}\nBIGSID${randomBytes(tenMb / 2).toString('hex')},U1,C1,Roku,2025-03-10T00:00:00Z,2025-03-10T00:10:00Z\n`,
    [`${dir}/header-only.csv`]: `${PLAYBACK_HEADER}\n`,
    [`${dir}/header-only.jsonl`]: '',
    [`${dir}/duplicate-headers.csv`]: `session_id,session_id,user_id,content_id,device_type,start_time,end_time\nDUP1,DUPX,U1,C1,Roku,2025-03-10T00:00:00Z,2025-03-10T00:10:00Z\n`,
  };
  let result: { run: CommandRun; report: Report };
  beforeAll(async () => {
    result = await etl(makeLake(files));
    recordFigure('hostile files, one run over 16 files', {
      peakRssMb: result.run.peakRssMb,
      seconds: result.run.seconds,
      rows: result.report.rows_loaded,
    });
  });

  it('ends with exit 2 and loads the good file whole', async () => {
    expect(result.run.code, result.run.stderr).toBe(2);
    expect(entry(result.report, 'good.csv').status).toBe('loaded');
    expect(await storedSessions('G')).toBe(50);
  });

  it.each([
    ['garbage.csv', /invalid UTF-8/],
    ['not-gzip.csv.gz', /not valid gzip/],
    ['truncated.csv.gz', /truncated/],
    ['invalid-utf8.csv', /invalid UTF-8 in bytes/],
    ['utf16.csv', /invalid UTF-8/],
  ])('fails %s with a reason naming the problem, and keeps none of its rows', async (name, reason) => {
    const file = entry(result.report, name);
    expect(file.status).toBe('failed');
    expect(file.error).toMatch(reason);
    expect(result.report.files_failed).toContain(file.key);
  });

  it('keeps none of the rows before the bad bytes of a file that fails', async () => {
    expect(await storedSessions('IU')).toBe(0);
    expect(await storedSessions('U16')).toBe(0);
    expect(await storedSessions('T')).toBe(0);
  });

  it('loads a file of 10,000 columns, the extra columns ignored', async () => {
    expect(entry(result.report, 'wide.csv')).toMatchObject({ status: 'loaded', rows: 2 });
    expect(await storedSessions('W')).toBe(2);
  });

  it('reads JSON nested 100,000 deep without a stack overflow: one malformed row each', async () => {
    expect(entry(result.report, 'deep-array.json')).toMatchObject({ status: 'loaded', rows: 1 });
    expect(entry(result.report, 'deep-object.jsonl')).toMatchObject({ status: 'loaded', rows: 1 });
    expect(result.run.stderr).not.toMatch(/Maximum call stack/);
  });

  it('fails a file whose kept value holds a NUL, and loads one whose NUL is in an ignored column', async () => {
    expect(entry(result.report, 'nul-in-value.csv').status).toBe('failed');
    expect(entry(result.report, 'nul-in-value.csv').error).toMatch(/NUL/);
    expect(entry(result.report, 'nul-in-ignored-column.csv').status).toBe('loaded');
    expect(await storedSessions('NULOK')).toBe(1);
  });

  it('stores a 10 MB device value as its normalized device, and a 10 MB session id whole or fails the file by name', async () => {
    expect(entry(result.report, 'ten-mb-device.csv').status).toBe('loaded');
    const { rows } = await db.pool.query<{ device_type: string }>(
      `SELECT device_type FROM processed.processed_data WHERE session_id = 'BIGDEV1'`,
    );
    expect(rows[0]?.device_type.length).toBeLessThan(100);
    const bigSid = entry(result.report, 'ten-mb-session-id.csv');
    if (bigSid.status === 'loaded') expect(await storedSessions('BIGSID')).toBe(1);
    else expect(bigSid.error).toMatch(/.+/);
    recordFigure('10 MB session id', { note: `${bigSid.status}${bigSid.error ? `: ${bigSid.error}` : ''}` });
  });

  it('loads header-only and empty files as zero rows', async () => {
    expect(entry(result.report, 'header-only.csv')).toMatchObject({ status: 'loaded', rows: 0 });
    expect(entry(result.report, 'header-only.jsonl')).toMatchObject({ status: 'loaded', rows: 0 });
  });

  it('takes the first of duplicate header names', async () => {
    expect(entry(result.report, 'duplicate-headers.csv').status).toBe('loaded');
    expect(await storedSessions('DUP1')).toBe(1);
    expect(await storedSessions('DUPX')).toBe(0);
  });
});

describe('heavy hostile files, one run each, with the peak RSS of the run', () => {
  const bombMb = bySize(20, 200);
  const lineMb = bySize(5, 50);
  const arrayObjects = bySize(100_000, 1_000_000);

  it(`reads a gzip bomb (${bombMb} MB of zeros) in bounded memory and loads the other file`, async () => {
    const lake = makeLake({ [`${dir}/good.csv`]: playbackCsv('BB', 10) });
    const target = join(lake, ...`${dir}/bomb.csv.gz`.split('/'));
    const zeros = Buffer.alloc(1024 * 1024);
    await pipeline(
      (function* () {
        for (let i = 0; i < bombMb; i += 1) yield zeros;
      })(),
      createGzip({ level: 9 }),
      createWriteStream(target),
    );
    const { run, report } = await etl(lake);
    const bomb = entry(report, 'bomb.csv.gz');
    recordFigure(`gzip bomb ${bombMb} MB of zeros (${readFileSync(target).length} bytes gzip)`, {
      peakRssMb: run.peakRssMb,
      seconds: run.seconds,
      rows: bomb.rows ?? 0,
      note: `${bomb.status}${bomb.error ? `: ${bomb.error}` : ''}`,
    });
    expect(entry(report, 'good.csv').status).toBe('loaded');
    expect(await storedSessions('BB')).toBe(10);
    expect(['loaded', 'failed']).toContain(bomb.status);
  });

  it(`reads a single ${lineMb} MB line: the row is rejected with a reason, the other file loads`, async () => {
    const line = `LL1,U1,C1,Roku,2025-03-10T00:00:00Z,2025-03-10T00:10:00Z,${'x'.repeat(lineMb * 1024 * 1024)}`;
    const lake = makeLake({
      [`${dir}/good.csv`]: playbackCsv('LG', 10),
      [`${dir}/long-line.csv`]: `${PLAYBACK_HEADER}\n${line}\n`,
    });
    const { run, report } = await etl(lake);
    recordFigure(`one ${lineMb} MB line`, {
      peakRssMb: run.peakRssMb,
      seconds: run.seconds,
      rows: entry(report, 'long-line.csv').rows ?? 0,
      note: `${entry(report, 'long-line.csv').status}, rejected ${JSON.stringify(report.rejected_by_reason)}`,
    });
    expect(run.code).toBe(0);
    expect(entry(report, 'long-line.csv').status).toBe('loaded');
    expect(report.rejected_by_reason).toEqual({ malformed_row: 1 });
    expect(await storedSessions('LG')).toBe(10);
    const quarantine = readdirSync(join(lake, 'rejected/playback'), { recursive: true }).map(String);
    expect(quarantine.length).toBeGreaterThan(0);
  });

  it(`streams a JSON array of ${arrayObjects} tiny objects`, async () => {
    const lake = makeLake({});
    const target = join(lake, ...`${dir}/many.json`.split('/'));
    writeLakeFiles(lake, { [`${dir}/many.json`]: '' });
    await pipeline(
      (function* () {
        yield '[';
        for (let i = 0; i < arrayObjects; i += 10_000) {
          const chunk: string[] = [];
          for (let j = i; j < Math.min(i + 10_000, arrayObjects); j += 1)
            chunk.push(
              `{"session_id":"A${j}","user_id":"U1","content_id":"C1","start_time":${1741564800 + j},"end_time":${1741565400 + j}}`,
            );
          yield (i === 0 ? '' : ',') + chunk.join(',');
        }
        yield ']';
      })(),
      createWriteStream(target),
    );
    const { run, report } = await etl(lake);
    recordFigure(
      `JSON array of ${arrayObjects} objects (${Math.round(readFileSync(target).length / 1e6)} MB)`,
      {
        peakRssMb: run.peakRssMb,
        seconds: run.seconds,
        rows: report.rows_loaded,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(report.rows_loaded).toBe(arrayObjects);
    expect(await storedSessions('A')).toBe(arrayObjects);
  });
});
