import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { openLake } from '@streampulse/lake';
import { LAKE_LAYOUT, type PipelineSettings } from '@streampulse/schema';
import { createTestDatabase } from '@streampulse/test-servers';
import type { RunReport } from '@streampulse/transform';
import { dumpProcessedCsv } from '@streampulse/warehouse';
import { runEtlJob, runPlanEtlJob } from '../src/index.js';

// What the plan engine's tests share: lakes in temporary folders, and both engines run over
// copies of one lake so that their reports, tables and quarantines can be compared.

/** Every file under `dir`, recursively, as absolute paths. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Every quarantine object of a lake: key -> text. */
export function quarantine(lakeDir: string): Record<string, string> {
  const root = join(lakeDir, LAKE_LAYOUT.rejectedPlayback);
  if (!existsSync(root)) return {};
  return Object.fromEntries(
    filesUnder(root).map((path) => [
      relative(lakeDir, path).split(sep).join('/'),
      readFileSync(path, 'utf8'),
    ]),
  );
}

/** A copy of a lake folder in a new temporary folder. */
export function copyLake(lakeDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'streampulse-plan-lake-'));
  cpSync(lakeDir, dir, { recursive: true });
  return dir;
}

/** A new lake folder holding `files` (lake key -> bytes), over a copy of `base` when given. */
export function writeLake(files: Record<string, string | Uint8Array>, base?: string): string {
  const dir = base === undefined ? mkdtempSync(join(tmpdir(), 'streampulse-plan-lake-')) : copyLake(base);
  for (const [key, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, key)), { recursive: true });
    writeFileSync(join(dir, key), bytes);
  }
  return dir;
}

/** What each engine left of one lake. */
export interface EngineRun {
  readonly report: RunReport;
  readonly table: string;
  readonly quarantine: Record<string, string>;
}

/**
 * Runs the compiled plan (on DuckDB) and the default engine, each over its own copy of `lakeDir`
 * and its own database, and returns what each left.
 */
export async function runBothEngines(
  lakeDir: string,
  settings: PipelineSettings,
): Promise<{ plan: EngineRun; reference: EngineRun }> {
  const planLake = copyLake(lakeDir);
  const referenceLake = copyLake(lakeDir);
  const planDb = await createTestDatabase('plan');
  const referenceDb = await createTestDatabase('ref');
  try {
    const planReport = await runPlanEtlJob({
      lake: openLake(planLake),
      pool: planDb.pool,
      settings,
      env: {},
    });
    const referenceReport = await runEtlJob({
      lake: openLake(referenceLake),
      pool: referenceDb.pool,
      settings,
    });
    return {
      plan: {
        report: planReport,
        table: await dumpProcessedCsv(planDb.pool),
        quarantine: quarantine(planLake),
      },
      reference: {
        report: referenceReport,
        table: await dumpProcessedCsv(referenceDb.pool),
        quarantine: quarantine(referenceLake),
      },
    };
  } finally {
    await planDb.drop();
    await referenceDb.drop();
    rmSync(planLake, { recursive: true, force: true });
    rmSync(referenceLake, { recursive: true, force: true });
  }
}

/** A run's report with its failed files' messages left out: the plan fails a file with DuckDB's message. */
export function withoutErrors(report: RunReport): RunReport {
  return {
    ...report,
    files: report.files.map((file) => (file.status === 'failed' ? { ...file, error: '' } : file)),
  };
}
