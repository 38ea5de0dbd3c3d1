import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runEtlJob } from '@streampulse/jobs';
import { openLake, readObjectBytes, type Lake } from '@streampulse/lake';
import type { PlanRunner } from '@streampulse/plan-runner';
import { LAKE_LAYOUT, pipelineSettingsSchema, type PipelineSettings } from '@streampulse/schema';
import type { Dialect } from '@streampulse/contract-sql';
import { createTestDatabase } from '@streampulse/test-servers';
import { dumpProcessedCsv, migrate } from '@streampulse/warehouse';
import { planEtlRun } from '@streampulse/glue';

// What the tests of the Glue job plans share: the rejected lines a plan run wrote, and the
// default engine's table, quarantine and failed files for the same files (the reference).

/** What a run left: the processed table as the contract's CSV, its rejected lines, failed files. */
export interface RunResult {
  processedCsv: string;
  rejections: Record<string, unknown>[];
  failed: string[];
}

/** Every rejected row the ETL runs wrote under `rejected/playback/_glue/`, as parsed lines. */
export async function glueRejections(lake: Lake): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  for await (const object of lake.list('rejected/playback/_glue/')) {
    if (object.key.split('/').at(-1)?.startsWith('_')) continue;
    const text = (await readObjectBytes(lake, object.key)).toString('utf8');
    for (const line of text.split('\n'))
      if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}

/** What the default engine makes of a lake folder: its table and quarantine lines (parsed). */
export async function referenceRun(
  fill: (lakeDir: string) => void,
  settings: PipelineSettings = pipelineSettingsSchema.parse({}),
): Promise<RunResult> {
  const lakeDir = mkdtempSync(join(tmpdir(), 'streampulse-reference-'));
  const reference = await createTestDatabase('reference');
  try {
    fill(lakeDir);
    const lake = openLake(lakeDir);
    const report = await runEtlJob({ lake, pool: reference.pool, settings });
    const rejections: Record<string, unknown>[] = [];
    for await (const object of lake.list(LAKE_LAYOUT.rejectedPlayback)) {
      const text = (await readObjectBytes(lake, object.key)).toString('utf8');
      for (const line of text.split('\n'))
        if (line !== '') rejections.push(JSON.parse(line) as Record<string, unknown>);
    }
    return {
      processedCsv: await dumpProcessedCsv(reference.pool),
      rejections,
      failed: report.files.filter((f) => f.status === 'failed').map((f) => f.key),
    };
  } finally {
    await reference.drop();
    rmSync(lakeDir, { recursive: true, force: true });
  }
}

/** Writes `files` (lake key -> text) under a lake folder. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [key, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, key)), { recursive: true });
    writeFileSync(join(dir, key), text);
  }
}

/** Rejections in file and row order. */
export function inOrder(rejections: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const at = (r: Record<string, unknown>) => `${String(r.source)}\u0000${String(r.row).padStart(12, '0')}`;
  return [...rejections].sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
}

/**
 * A runner and the dialect its plans are compiled for.
 *
 * @example
 * const engine: PlanEngine = { runner: new DuckdbPlanRunner({ env }), dialect: DUCKDB };
 */
export interface PlanEngine {
  runner: PlanRunner;
  dialect: Dialect;
}

/**
 * Each playback file through its own plan with every dimension file, planned as the ETL trigger
 * plans it (`planEtlRun`) and run by `engine`, in key order, into one fresh warehouse: the files are written under `root` (an `s3://` root on the loopback
 * S3 of `env`) first. A failed run's file is in `failed`, its message in `errors`.
 */
export async function planRuns(
  engine: PlanEngine,
  env: Record<string, string>,
  root: string,
  files: Readonly<Record<string, string>>,
): Promise<RunResult & { errors: Record<string, string> }> {
  const lake = openLake(root, { env });
  for (const [key, text] of Object.entries(files)) await lake.write(key, text);
  const target = await createTestDatabase('plan');
  const failed: string[] = [];
  const errors: Record<string, string> = {};
  try {
    // Migrated first, so a lake whose every run fails still has a table to compare; the plans'
    // own migrations (tested on an empty database elsewhere) then find nothing to do.
    await migrate(target.pool);
    const playback = Object.keys(files)
      .filter((key) => key.startsWith(LAKE_LAYOUT.playback))
      .sort();
    for (const key of playback) {
      const { planPath } = await planEtlRun(
        { lake },
        { jobName: 'streampulse-etl', inputKey: key, dialect: engine.dialect },
      );
      try {
        await engine.runner.run(planPath, target.url);
      } catch (error) {
        failed.push(key);
        errors[key] = (error as Error).message;
      }
    }
    return {
      processedCsv: await dumpProcessedCsv(target.pool),
      rejections: await glueRejections(lake),
      failed,
      errors,
    };
  } finally {
    await target.drop();
  }
}
