import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCommand, generateHelp } from '../src/commands/generate.js';
import { UsageError, type CliIo } from '../src/io.js';

const scratch = mkdtempSync(join(tmpdir(), 'streampulse-cli-generate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function capture(isTTY = false): Writable & { text: () => string; isTTY: boolean } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => Buffer.concat(chunks).toString('utf8') });
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const io: CliIo = { env: {}, stdout, stderr };
  const code = await generateCommand(args, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const small = ['--days', '2', '--users', '50', '--sessions-per-day', '200', '--seed', '3'];

describe('streampulse generate', () => {
  it('prints its help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(generateHelp);
    expect(generateHelp).toContain('--dirty-rate');
  });

  it('writes a lake and prints one JSON summary of files, sessions and bytes', async () => {
    const lake = join(scratch, 'json');
    const result = await run(['--lake', lake, ...small, '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout);
    expect(summary.sessions).toBe(400);
    expect(summary.files).toHaveLength(6);
    expect(summary.bytes).toBe(summary.files.reduce((sum: number, f: { bytes: number }) => sum + f.bytes, 0));
    for (const file of summary.files) expect(statSync(join(lake, file.key)).size).toBe(file.bytes);
    expect(summary.dirty_rows).toBeGreaterThan(0);
  });

  it('prints a readable summary that points at the next step', async () => {
    const lake = join(scratch, 'text');
    const result = await run(['--lake', lake, ...small, '--dirty-rate', '0', '--formats', 'jsonl.gz,tsv']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^files: 6 \(2 playback, 4 metadata and profiles\), [\d.]+ MB in /);
    expect(result.stdout).toContain('sessions: 400 on 2025-03-01..2025-03-02, 50 users, 400 titles');
    expect(result.stdout).toContain('playback rows: 400, 0 dirty');
    expect(result.stdout).toContain(`next: streampulse etl --lake ${lake}`);
    expect(existsSync(join(lake, 'raw/playback/dt=2025-03-02/part-0000.tsv'))).toBe(true);
  });

  it('refuses a lake that already holds raw files unless --force', async () => {
    const lake = join(scratch, 'twice');
    expect((await run(['--lake', lake, ...small, '--json'])).code).toBe(0);
    await expect(run(['--lake', lake, ...small])).rejects.toThrow(/already holds raw\/ files.*--force/);
    expect((await run(['--lake', lake, ...small, '--force', '--json'])).code).toBe(0);
  });

  it.each([
    [['--days', '2'], /--lake is required/],
    [['--lake', 'x', '--days', 'two'], /--days must be a whole number/],
    [['--lake', 'x', '--dirty-rate', '2'], /--dirty-rate must be a number from 0 to 1/],
    [['--lake', 'x', '--start', '2025-02-30'], /--start must be a date/],
    [['--lake', 'x', '--formats', 'csv,xml'], /--formats takes some of/],
    [['--lake', 'x', '--sessions', '5', '--sessions-per-day', '5'], /not both/],
    [['--lake', 'x', '--colour'], /Unknown option/],
  ])('rejects %j as a usage error', async (args, message) => {
    const attempt = run(args);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });
});
