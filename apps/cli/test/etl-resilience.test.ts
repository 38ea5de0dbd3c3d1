import { PutObjectCommand } from '@aws-sdk/client-s3';
import { goldenCases } from '@streampulse/golden';
import { createTestDatabase, startS3, stopTestServer, type TestS3 } from '@streampulse/test-servers';
import { dumpProcessedCsv } from '@streampulse/warehouse';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyLake, runCli } from './support/cli.js';

const bin = fileURLToPath(new URL('../bin/streampulse.js', import.meta.url));
const golden = (name: string) => {
  const found = goldenCases().find((c) => c.name === name);
  if (!found) throw new Error(`golden case ${name} missing`);
  return found;
};

afterAll(stopTestServer);

/** Runs the real `streampulse` executable as a child process. */
function spawnCli(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

function writeLargePlaybackFile(lake: string, rows: number): string {
  const key = 'raw/playback/dt=2025-03-10/large.csv';
  mkdirSync(join(lake, 'raw/playback/dt=2025-03-10'), { recursive: true });
  const lines = ['session_id,user_id,content_id,device_type,start_time,end_time'];
  const base = Date.parse('2025-03-10T00:00:00Z');
  for (let i = 0; i < rows; i += 1) {
    const start = base + (i % 80_000) * 1000;
    lines.push(
      `L${i},U${i % 997},C${i % 101},Roku,${new Date(start).toISOString()},${new Date(start + 600_000).toISOString()}`,
    );
  }
  writeFileSync(join(lake, key), lines.join('\n') + '\n');
  return key;
}

describe('streampulse etl under failure', () => {
  it('leaves none of a file killed mid-load in the table, and a rerun completes it', async () => {
    const db = await createTestDatabase();
    try {
      const lake = copyLake(golden('dst').lakeDir);
      const rows = 400_000;
      writeLargePlaybackFile(lake, rows);
      const run = spawnCli([
        'etl',
        '--lake',
        lake,
        '--database-url',
        db.url,
        '--input',
        'raw/playback/dt=2025-03-10/large.csv',
      ]);
      // Wait until the load is streaming rows into PostgreSQL, then kill the process outright.
      let copying = false;
      for (let attempt = 0; attempt < 600 && !copying; attempt += 1) {
        const { rows: active } = await db.pool.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'COPY %' AND state <> 'idle'`,
        );
        copying = active.length > 0;
        if (!copying) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(copying).toBe(true);
      run.child.kill('SIGKILL');
      const killed = await run.done;
      expect(killed.signal).toBe('SIGKILL');
      const { rows: leftover } = await db.pool.query(
        `SELECT (SELECT count(*)::int FROM processed.processed_data WHERE session_id LIKE 'L%') AS rows,
                (SELECT count(*)::int FROM processed.file_ledger WHERE key LIKE '%large.csv' AND status = 'loaded') AS ledger`,
      );
      expect(leftover[0]).toEqual({ rows: 0, ledger: 0 });

      const rerun = await runCli(['etl', '--lake', lake, '--database-url', db.url, '--json']);
      expect(rerun.code, rerun.stderr).toBe(0);
      const { rows: counted } = await db.pool.query(
        `SELECT count(*)::int AS n FROM processed.processed_data WHERE session_id LIKE 'L%'`,
      );
      expect(counted[0].n).toBe(rows);
      const report = JSON.parse(rerun.stdout);
      expect(report.files.find((f: { key: string }) => f.key.endsWith('large.csv')).status).toBe('loaded');
    } finally {
      await db.drop();
    }
  }, 120_000);

  it('lets two runs of the same input at once both finish safely, leaving the table one run leaves', async () => {
    const db = await createTestDatabase();
    try {
      const dst = golden('dst');
      const lake = copyLake(dst.lakeDir);
      const args = [
        'etl',
        '--lake',
        lake,
        '--database-url',
        db.url,
        '--source-tz',
        dst.settings.source_tz,
        '--reporting-tz',
        dst.settings.reporting_tz,
        '--json',
      ];
      const [first, second] = await Promise.all([spawnCli(args).done, spawnCli(args).done]);
      expect([first.code, second.code].sort()).toContain(0);
      expect(first.code === 0 || first.code === 2, first.stderr).toBe(true);
      expect(second.code === 0 || second.code === 2, second.stderr).toBe(true);
      expect(await dumpProcessedCsv(db.pool)).toBe(dst.processedCsv);
    } finally {
      await db.drop();
    }
  }, 120_000);
});

describe('streampulse etl from an S3 lake', () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(async () => s3.stop());

  it.each(goldenCases().map((c) => [c.name, c] as const))(
    'loads golden case %s from S3 into the same table',
    async (_, golden) => {
      const bucket = `lake-${golden.name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
      await s3.createBucket(bucket);
      const lake = `s3://${bucket}/lakes/${golden.name}`;
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) =>
          statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)],
        );
      for (const path of walk(golden.lakeDir)) {
        const key = relative(golden.lakeDir, path).split(sep).join('/');
        await s3.client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `lakes/${golden.name}/${key}`,
            Body: readFileSync(path),
          }),
        );
      }
      const db = await createTestDatabase();
      try {
        const run = await runCli(
          [
            'etl',
            '--lake',
            lake,
            '--database-url',
            db.url,
            '--source-tz',
            golden.settings.source_tz,
            '--reporting-tz',
            golden.settings.reporting_tz,
            '--json',
          ],
          s3.env,
        );
        expect(run.code, run.stderr).toBe(golden.report.files_failed.length > 0 ? 2 : 0);
        expect(JSON.parse(run.stdout).files_failed).toEqual(golden.report.files_failed);
        expect(await dumpProcessedCsv(db.pool)).toBe(golden.processedCsv);
      } finally {
        await db.drop();
      }
    },
  );

  it('says the credentials were refused, without the secret', async () => {
    await s3.createBucket('lake-credentials');
    const run = await runCli(
      ['etl', '--lake', 's3://lake-credentials', '--database-url', 'postgres://x@127.0.0.1:1/x'],
      {
        ...s3.env,
        AWS_SECRET_ACCESS_KEY: 'wrong-secret-value',
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toContain('wrong-secret-value');
  });
});

describe('streampulse etl with bad settings', () => {
  const lake = () => copyLake(golden('dst').lakeDir);
  const expectOneClearLine = (run: { code: number; stderr: string; stdout: string }, pattern: RegExp) => {
    expect(run.code).toBe(1);
    // At most the line naming the database, printed before the connection failed.
    expect(run.stdout).toMatch(/^(database: [^\n]*\n)?$/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it('names an unknown time zone and its flag', async () => {
    expectOneClearLine(
      await runCli([
        'etl',
        '--lake',
        lake(),
        '--database-url',
        'postgres://x@127.0.0.1:1/x',
        '--source-tz',
        'Mars/Olympus',
      ]),
      /--source-tz: unknown time zone "Mars\/Olympus"/,
    );
  });

  it('says the database cannot be reached, without the password', async () => {
    const run = await runCli([
      'etl',
      '--lake',
      lake(),
      '--database-url',
      'postgres://etl:s3cr3t-pw@127.0.0.1:1/streampulse',
    ]);
    expectOneClearLine(run, /127\.0\.0\.1:1/);
    expect(run.stderr).not.toContain('s3cr3t-pw');
  });

  it('says the lake is missing and names it', async () => {
    expectOneClearLine(
      await runCli(['etl', '--lake', '/nonexistent/lake', '--database-url', 'postgres://x@127.0.0.1:1/x']),
      /\/nonexistent\/lake/,
    );
  });

  it('refuses an unknown option and a missing --lake', async () => {
    expectOneClearLine(await runCli(['etl', '--lakes', 'x']), /--lakes/);
    expectOneClearLine(await runCli(['etl']), /--lake is required/);
  });
});
