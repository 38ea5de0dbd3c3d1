import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The runner's Parquet output, run in Python with pyspark stubbed and an in-memory Hadoop file
// system (Spark cannot run here): see runner_parquet_output.py.
const here = dirname(fileURLToPath(import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;
const day = 's3://lake/analytics/daily_aggregates/year=2025/month=03/day=14';
const otherDay = 's3://lake/analytics/daily_aggregates/year=2025/month=03/day=15/part-0.parquet';

function folders(): Record<string, Record<string, string>> {
  const cache = mkdtempSync(join(tmpdir(), 'streampulse-pycache-'));
  try {
    const output = execFileSync(
      'python3',
      [join(here, 'runner_parquet_output.py'), resolve(here, '../glue/runner.py')],
      { env: { ...process.env, PYTHONPYCACHEPREFIX: cache }, encoding: 'utf8' },
    );
    return JSON.parse(output) as Record<string, Record<string, string>>;
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

describe.skipIf(!hasPython)("the Glue runner's Parquet output", () => {
  const results = hasPython ? folders() : {};

  it("replaces the whole folder: other names, formats and another engine's parts go", () => {
    expect(results.rows).toEqual({ [`${day}/part-0.parquet`]: 'new rows', [otherDay]: 'other day' });
  });

  it("has Spark write into a folder of the day whose leading _ hides it from Athena's readers", () => {
    expect(Object.keys(results['spark wrote into'] ?? {})).toEqual([
      expect.stringMatching(new RegExp(`^${day}/_tmp-[0-9a-f]{32}$`)),
    ]);
  });

  it('empties the folder of a day without rows, and leaves other days alone', () => {
    expect(results['no rows']).toEqual({ [otherDay]: 'other day' });
  });

  it('writes nothing for a day without rows whose folder does not exist', () => {
    expect(results['no rows, no folder']).toEqual({ [otherDay]: 'other day' });
  });
});
