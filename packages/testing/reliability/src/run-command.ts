import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const probe = fileURLToPath(new URL('./rss-probe.mjs', import.meta.url));
/** The real `streampulse` executable (it runs from TypeScript source). */
export const STREAMPULSE_BIN = fileURLToPath(
  new URL('../../../../apps/cli/bin/streampulse.js', import.meta.url),
);

/** How a command run as a child process ended, and what it cost. */
export interface CommandRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the child, in MB (undefined when it was killed before exit). */
  peakRssMb: number | undefined;
  seconds: number;
}

/** A started command: its process, and a promise of how it ended. */
export interface StartedCommand {
  pid: number | undefined;
  kill(signal?: NodeJS.Signals): void;
  done: Promise<CommandRun>;
}

/**
 * Starts `node <script> ...args` as a child process with `env` added to this process's
 * environment (minus DATABASE_URL, so a run uses only the database its arguments name), and
 * records its peak RSS.
 *
 * @example
 * const run = await startCommand(STREAMPULSE_BIN, ['etl', '--lake', lake, '--database-url', url]).done;
 */
export function startCommand(
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
): StartedCommand {
  const scratch = mkdtempSync(join(tmpdir(), 'streampulse-rss-'));
  const rssFile = join(scratch, 'rss');
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    ...env,
    STREAMPULSE_RSS_FILE: rssFile,
  };
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', probe, script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CommandRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      let peakRssMb: number | undefined;
      try {
        peakRssMb = Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024);
      } catch {
        peakRssMb = undefined;
      }
      rmSync(scratch, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, peakRssMb, seconds: (performance.now() - started) / 1000 });
    });
  });
  return { pid: child.pid, kill: (signal = 'SIGTERM') => child.kill(signal), done };
}

/** Runs the real `streampulse` with `args` to its end (see {@link startCommand}). */
export function streampulse(args: readonly string[], env: Record<string, string> = {}): Promise<CommandRun> {
  return startCommand(STREAMPULSE_BIN, args, env).done;
}
