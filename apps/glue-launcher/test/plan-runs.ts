import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runEtlJob } from '@streampulse/jobs';
import { openLake, readObjectBytes, type Lake } from '@streampulse/lake';
import { LAKE_LAYOUT, pipelineSettingsSchema, type PipelineSettings } from '@streampulse/schema';
import { compileEtlJobPlan, DUCKDB, type JobFile } from '@streampulse/sql';
import { createTestDatabase } from '@streampulse/test-servers';
import { dumpProcessedCsv, migrate } from '@streampulse/warehouse';
import { delimitedHeader } from '../src/header.js';
import { runPlanWithDuckdb } from './duckdb-glue.js';

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

/** The job file the ETL trigger would plan for a lake key and its text (its dataset by prefix). */
export function jobFileOf(key: string, text: string): JobFile {
  const dataset: JobFile['dataset'] = key.startsWith(LAKE_LAYOUT.contentMetadata)
    ? 'content'
    : key.startsWith(LAKE_LAYOUT.userProfiles)
      ? 'users'
      : 'playback';
  const extension = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  if (extension === 'csv' || extension === 'tsv') {
    return {
      key,
      dataset,
      format: extension,
      header: delimitedHeader(text, extension === 'csv' ? ',' : '\t'),
    };
  }
  const array =
    extension === 'json' &&
    text
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('[');
  return { key, dataset, format: array ? 'json-array' : 'jsonl' };
}

/**
 * Each playback file through its own plan with every dimension file (compiled for DuckDB, run by
 * the stand-in of the runner), in key order, into one fresh warehouse, as the ETL trigger runs
 * them: the files are written under `root` (an `s3://` root on the loopback S3 of `env`) first. A
 * failed run's file is in `failed`, its message in `errors`.
 */
export async function planRuns(
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
    await migrate(target.pool);
    const all = Object.keys(files)
      .sort()
      .map((key) => jobFileOf(key, files[key] ?? ''));
    const dimensions = all.filter((f) => f.dataset !== 'playback');
    for (const { key } of all.filter((f) => f.dataset === 'playback')) {
      const plan = compileEtlJobPlan(DUCKDB, {
        lakeRoot: root,
        files: [...dimensions, jobFileOf(key, files[key] ?? '')],
        settings: pipelineSettingsSchema.parse({}),
        rejectedKey: `rejected/playback/_glue/${key}/`,
      });
      try {
        await runPlanWithDuckdb(plan, { env, databaseUrl: target.url });
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
