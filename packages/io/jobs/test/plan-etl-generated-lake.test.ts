import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '@streampulse/schema';
import { stopTestServer } from '@streampulse/test-servers';
import { generateLake } from '@streampulse/generator';
import { afterAll, describe, expect, it } from 'vitest';
import { runBothEngines, withoutErrors } from './engines.js';

afterAll(stopTestServer);

// Many files (one plan run each), CSV, gzip and JSON Lines, with dirty rows: the same table,
// report and quarantine as the default engine.
describe('the ETL on the compiled plan on a generated lake', () => {
  it('matches the default engine file by file', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'streampulse-plan-generated-'));
    try {
      await generateLake({ outDir: lake, sessions: 6_000, dirtyRate: 0.05 });
      const { plan, reference } = await runBothEngines(lake, DEFAULT_SETTINGS);
      expect(reference.report.files.length).toBeGreaterThan(8);
      expect({ ...plan, report: withoutErrors(plan.report) }).toEqual({
        ...reference,
        report: withoutErrors(reference.report),
      });
    } finally {
      rmSync(lake, { recursive: true, force: true });
    }
  }, 120_000);
});
