import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '@streampulse/schema';
import { stopTestServer } from '@streampulse/test-servers';
import { generateLake } from '@streampulse/tools/generate';
import { afterAll, describe, expect, it } from 'vitest';
import { runBothEngines } from './engines.js';

afterAll(stopTestServer);

// Many files (several groups of the engine's read-plan-load pipeline), CSV, gzip and JSON Lines,
// with dirty rows: the same table, report and quarantine as the default engine.
describe('the DuckDB engine on a generated lake', () => {
  it('matches the default engine file by file across groups', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'streampulse-duckdb-generated-'));
    try {
      await generateLake({ outDir: lake, sessions: 6_000, dirtyRate: 0.05 });
      // Small groups: several plan runs, each loaded while DuckDB reads the next.
      const { duckdb, reference } = await runBothEngines(lake, DEFAULT_SETTINGS, { groupRows: 1_000 });
      expect(reference.report.files.length).toBeGreaterThan(8);
      expect(duckdb).toEqual(reference);
    } finally {
      rmSync(lake, { recursive: true, force: true });
    }
  }, 120_000);
});
