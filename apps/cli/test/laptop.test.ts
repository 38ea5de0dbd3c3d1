import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const made: string[] = [];
function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `streampulse-${name}-`));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const env = { PATH: process.env.PATH }; // no DATABASE_URL: each lake's embedded database

async function count(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM processed.processed_data');
    return Number(result.rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe('one embedded database per lake', { timeout: 180_000 }, () => {
  it('gives two lakes of the same seed two databases that each load every row, and serves one to psql with db start', async () => {
    const cwd = tempDir('laptop');
    for (const name of ['lake', 'lake2']) {
      const generated = await runCli(
        ['generate', '--lake', join(cwd, name), '--days', '1', '--users', '30', '--seed', '7'],
        env,
        cwd,
      );
      expect(generated.code, generated.stderr).toBe(0);
    }
    const first = await runCli(['etl', '--lake', join(cwd, 'lake')], env, cwd);
    const second = await runCli(['etl', '--lake', join(cwd, 'lake2')], env, cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const databaseLine = (stdout: string) => stdout.split('\n')[0] ?? '';
    expect(databaseLine(first.stdout)).toMatch(
      /^database: embedded database for .*\/lake \(streampulse on 127\.0\.0\.1:\d+\)$/,
    );
    expect(databaseLine(second.stdout)).toMatch(/^database: embedded database for .*\/lake2 /);
    const loaded = (stdout: string) => /rows: \d+ read, (\d+) loaded/.exec(stdout)?.[1];
    expect(loaded(first.stdout)).toBeDefined();
    expect(loaded(second.stdout)).toBe(loaded(first.stdout));

    const started = await runCli(['db', 'start'], env, cwd);
    expect(started.code, started.stderr).toBe(0);
    try {
      const url = await runCli(['db', 'url'], env, cwd);
      expect(url.stdout).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/streampulse\n$/);
      expect(await count(url.stdout.trim())).toBe(Number(loaded(first.stdout)));
      // A command run meanwhile borrows the background server and leaves it running.
      const again = await runCli(['etl', '--lake', join(cwd, 'lake')], env, cwd);
      expect(again.stdout).toMatch(/files: 0 loaded, 1 unchanged/);
      expect(await count(url.stdout.trim())).toBe(Number(loaded(first.stdout)));
    } finally {
      const stopped = await runCli(['db', 'stop'], env, cwd);
      expect(stopped.stdout).toBe('stopped the embedded database for lake\n');
    }
    expect((await runCli(['db', 'stop'], env, cwd)).stdout).toBe(
      'the embedded database for lake was not running\n',
    );
  });
});

describe('lake roots and --out', () => {
  it('refuses a lake without raw/ for etl, suggesting the parent folder, exit 1', async () => {
    const cwd = tempDir('roots');
    mkdirSync(join(cwd, 'lake', 'raw', 'playback'), { recursive: true });
    const run = await runCli(['etl', '--lake', join(cwd, 'lake', 'raw')], env, cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `streampulse etl: --lake ${join(cwd, 'lake', 'raw')}: not a lake root: expected a folder with raw/ in it; did you mean --lake lake?\n`,
    );
  });

  it.each([
    ['a folder', (cwd: string) => cwd, /is a folder; give a file name such as dashboard\.html/],
    [
      'a path under a file',
      (cwd: string) => join(cwd, 'file.txt', 'x.html'),
      /a parent of it is a file, not a folder/,
    ],
  ])('writes one line naming the path when --out is %s, exit 1', async (_, outOf, reason) => {
    const cwd = tempDir('out');
    mkdirSync(join(cwd, 'lake', 'analytics'), { recursive: true });
    writeFileSync(join(cwd, 'file.txt'), 'x');
    const out = outOf(cwd);
    const run = await runCli(['dashboard', '--lake', join(cwd, 'lake'), '--out', out], env, cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^streampulse dashboard: --out ${out}: [^\\n]+\\n$`));
    expect(run.stderr).toMatch(reason);
  });
});
