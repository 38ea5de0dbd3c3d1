import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GoldenCase } from '@streampulse/golden';
import { captured } from '@streampulse/test-servers';
import { main } from '../../src/main.js';

/** What a CLI run printed and how it ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  cwd?: string,
): Promise<CliRun> {
  const stdout = captured();
  const stderr = captured();
  const code = await main(argv, { env, stdout, stderr, ...(cwd ? { cwd } : {}) });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** `streampulse etl` over `lake` into `url` with a golden case's zones, `extra` flags, and `--json`. */
export function goldenEtlArgs(golden: GoldenCase, lake: string, url: string, ...extra: string[]): string[] {
  return [
    'etl',
    '--lake',
    lake,
    '--database-url',
    url,
    '--source-tz',
    golden.settings.source_tz,
    '--reporting-tz',
    golden.settings.reporting_tz,
    ...extra,
    '--json',
  ];
}

/** A writable copy of a lake folder (runs write rejected/ into the lake). */
export function copyLake(lakeDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'streampulse-lake-'));
  cpSync(lakeDir, dir, { recursive: true });
  return dir;
}

/** Splits one RFC 4180 CSV line (no line ends inside) into its fields. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i += 1;
          break;
        } else {
          value += line[i];
          i += 1;
        }
      }
      fields.push(value);
      i += 1;
    } else {
      const end = line.indexOf(',', i);
      const stop = end === -1 ? line.length : end;
      fields.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return fields;
}
