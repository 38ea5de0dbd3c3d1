import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@streampulse/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The README's examples are a contract with its readers: every ```sh block the README marks
// with `<!-- runnable -->` on the line before is run here, line by line, as written, in a fresh
// folder, against a database of the test's own (DATABASE_URL, as a reader's shell may set it).

const RUNNABLE = '<!-- runnable -->';
const readmePath = fileURLToPath(new URL('../../../README.md', import.meta.url));
const bin = fileURLToPath(new URL('../bin/streampulse.js', import.meta.url));

/** The command lines of every runnable block, comments and blank lines left out. */
export function runnableCommands(markdown: string): string[] {
  const lines = markdown.split('\n');
  const commands: string[] = [];
  lines.forEach((line, index) => {
    if (line.trim() !== RUNNABLE || lines[index + 1]?.trim() !== '```sh') return;
    for (let i = index + 2; i < lines.length && lines[i]?.trim() !== '```'; i++) {
      const command = (lines[i] ?? '').replace(/\s+#\s.*$/, '').trim();
      if (command !== '' && !command.startsWith('#')) commands.push(command);
    }
  });
  return commands;
}

/** A command line's words as a POSIX shell splits them: single and double quotes, no expansions. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (const char of command) {
    if (quote) {
      if (char === quote) quote = undefined;
      else word = (word ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} in: ${command}`);
  if (word !== undefined) words.push(word);
  return words;
}

function run(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('shellWords', () => {
  it('keeps a quoted SQL statement as one word, quotes inside the other kind included', () => {
    expect(shellWords(`npx streampulse query --lake ./lake "SELECT date_format(d, '%Y-%m') FROM t"`)).toEqual(
      ['npx', 'streampulse', 'query', '--lake', './lake', "SELECT date_format(d, '%Y-%m') FROM t"],
    );
  });
});

describe('runnableCommands', () => {
  it('takes the lines of marked blocks only, without comments', () => {
    const markdown = [
      '```sh',
      'npm start',
      '```',
      RUNNABLE,
      '```sh',
      '# a comment',
      'npx streampulse etl --lake ./lake   # then look',
      '',
      '```',
    ].join('\n');
    expect(runnableCommands(markdown)).toEqual(['npx streampulse etl --lake ./lake']);
  });
});

describe("the README's runnable examples", { timeout: 240_000 }, () => {
  const commands = runnableCommands(readFileSync(readmePath, 'utf8'));
  const folder = mkdtempSync(join(tmpdir(), 'streampulse-readme-'));
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('readme');
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('marks some blocks runnable, each line a streampulse command', () => {
    // Without this the examples below would pass by running nothing.
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const command of commands) expect(command).toMatch(/^npx streampulse /);
  });

  it('runs every one as written, in order, each exiting 0', async () => {
    const env = { ...process.env, DATABASE_URL: database.url };
    for (const command of commands) {
      const [, , ...args] = shellWords(command);
      const { code, output } = await run(args, folder, env);
      expect(code, `${command}\n${output}`).toBe(0);
    }
  });
});
