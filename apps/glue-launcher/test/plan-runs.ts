import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runEtlJob } from '@streampulse/jobs';
import { openLake, readObjectBytes, type Lake } from '@streampulse/lake';
import { LAKE_LAYOUT, pipelineSettingsSchema, type PipelineSettings } from '@streampulse/schema';
import { createTestDatabase } from '@streampulse/test-servers';
import { dumpProcessedCsv } from '@streampulse/warehouse';

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
