import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

describe('streampulse demo (npm start)', () => {
  it('runs end to end on the embedded PostgreSQL from a folder only its owner may enter, then reuses it', async () => {
    // mkdtemp makes a mode-700 folder, like `mktemp -d`: as root, the embedded server's own user
    // cannot enter it, which is the case this test keeps working.
    const cwd = mkdtempSync(join(tmpdir(), 'streampulse-demo-'));
    expect(statSync(cwd).mode & 0o777).toBe(0o700);
    const env = { PATH: process.env.PATH }; // no DATABASE_URL: the embedded default

    const first = await runCli(['demo', '--users', '200', '--days', '3'], env, cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/1\/5 lake: generated \d+ sessions/);
    expect(first.stdout).toMatch(/2\/5 database: embedded database for \.streampulse\/demo-lake /);
    expect(first.stdout).toMatch(/3\/5 ETL: \d+ files loaded/);
    expect(first.stdout).toMatch(/4\/5 aggregate: 3 days written/);
    expect(first.stdout).toContain('title');
    expect(first.stdout).toMatch(/\(10 rows\)/);
    const dashboard = join(cwd, '.streampulse', 'dashboard.html');
    expect(existsSync(dashboard)).toBe(true);
    expect(readFileSync(dashboard, 'utf8')).toContain('data-chart=');

    const second = await runCli(['demo'], env, cwd);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('1/5 lake: reusing');
    expect(first.stdout).toMatch(/Top 10 titles over the whole period/);
    expect(second.stdout).toMatch(/3\/5 ETL: 0 files loaded/);
    expect(second.stdout).toMatch(/4\/5 aggregate: 0 days written/);
  }, 120_000);
});
