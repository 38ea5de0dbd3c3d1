import { contractReportOf, goldenCases } from '@streampulse/golden';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import type { RunReport } from '@streampulse/transform';
import { dumpProcessedCsv } from '@streampulse/warehouse';
import { afterAll, describe, expect, it } from 'vitest';
import { copyLake, goldenEtlArgs, runCli } from './support/cli.js';

afterAll(stopTestServer);

describe.each(goldenCases().map((c) => [`${c.origin}/${c.name}`, c] as const))(
  'streampulse etl --engine duckdb on golden case %s',
  (_, golden) => {
    it('leaves the expected table, with the same report and exit status as the default engine', async () => {
      const duck = await createTestDatabase('cli-duck');
      const reference = await createTestDatabase('cli-ref');
      try {
        const run = await runCli(
          goldenEtlArgs(golden, copyLake(golden.lakeDir), duck.url, '--engine', 'duckdb'),
        );
        expect(run.stderr).toBe('');
        expect(run.code).toBe(golden.report.files_failed.length > 0 ? 2 : 0);
        const report = JSON.parse(run.stdout) as RunReport;
        expect(contractReportOf(report)).toEqual(contractReportOf(golden.report));
        expect(await dumpProcessedCsv(duck.pool)).toBe(golden.processedCsv);

        const byDefault = await runCli(
          goldenEtlArgs(golden, copyLake(golden.lakeDir), reference.url, '--engine', 'default'),
        );
        expect(byDefault.code).toBe(run.code);
        // A failed file carries the engine's own message (DuckDB's, naming the file).
        const withoutErrors = (r: RunReport): RunReport => ({
          ...r,
          files: r.files.map((f) => (f.status === 'failed' ? { ...f, error: '' } : f)),
        });
        expect(withoutErrors(report)).toEqual(withoutErrors(JSON.parse(byDefault.stdout) as RunReport));
        for (const file of report.files.filter((f) => f.status === 'failed'))
          expect(file.error).toContain(file.key.split('/').pop());
      } finally {
        await duck.drop();
        await reference.drop();
      }
    });
  },
);

describe('streampulse etl --engine', () => {
  it('refuses an unknown engine with exit status 1, naming the choices', async () => {
    const run = await runCli(['etl', '--lake', '/nonexistent', '--engine', 'spark']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--engine must be default or duckdb');
  });
});
