import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { runEtlJob } from '@streampulse/jobs';
import { openLake } from '@streampulse/lake';
import { LAKE_LAYOUT, pipelineSettingsSchema } from '@streampulse/schema';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import { generateLake } from '@streampulse/tools/generate';
import { dumpProcessedCsv } from '@streampulse/warehouse';
import { afterAll, describe, expect, it } from 'vitest';
import { runDuckdbEtl } from '../src/index.js';

afterAll(stopTestServer);

/** Every quarantine object of a lake: key -> text. */
function quarantine(lakeDir: string): Record<string, string> {
  const root = join(lakeDir, LAKE_LAYOUT.rejectedPlayback);
  if (!existsSync(root)) return {};
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  return Object.fromEntries(
    walk(root).map((path) => [relative(lakeDir, path).split(sep).join('/'), readFileSync(path, 'utf8')]),
  );
}

// Many files (several groups of the engine's read-plan-load pipeline), CSV, gzip and JSON Lines,
// with dirty rows: the same table, report and quarantine as the default engine.
describe('the DuckDB engine on a generated lake', () => {
  it('matches the default engine file by file across groups', async () => {
    const source = mkdtempSync(join(tmpdir(), 'streampulse-duckdb-generated-'));
    const duckLake = mkdtempSync(join(tmpdir(), 'streampulse-duckdb-generated-duck-'));
    const referenceLake = mkdtempSync(join(tmpdir(), 'streampulse-duckdb-generated-ref-'));
    const duck = await createTestDatabase('duck-generated');
    const reference = await createTestDatabase('ref-generated');
    try {
      await generateLake({ outDir: source, sessions: 6_000, dirtyRate: 0.05 });
      cpSync(source, duckLake, { recursive: true });
      cpSync(source, referenceLake, { recursive: true });
      const settings = pipelineSettingsSchema.parse({});
      // Small groups: several plan runs, each loaded while DuckDB reads the next.
      const report = await runDuckdbEtl({
        lake: openLake(duckLake),
        pool: duck.pool,
        settings,
        groupRows: 1_000,
      });
      const expected = await runEtlJob({ lake: openLake(referenceLake), pool: reference.pool, settings });
      expect(report.files.length).toBeGreaterThan(8);
      expect(report).toEqual(expected);
      expect(await dumpProcessedCsv(duck.pool)).toBe(await dumpProcessedCsv(reference.pool));
      expect(quarantine(duckLake)).toEqual(quarantine(referenceLake));
    } finally {
      await duck.drop();
      await reference.drop();
      for (const dir of [source, duckLake, referenceLake]) rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
