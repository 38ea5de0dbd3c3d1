import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goldenCases, type GoldenCase } from '@streampulse/golden';
import { runEtlJob } from '@streampulse/jobs';
import { openLake, readObjectBytes, type Lake } from '@streampulse/lake';
import { LAKE_LAYOUT, pipelineSettingsSchema } from '@streampulse/schema';
import { DUCKDB } from '@streampulse/sql';
import { createTestDatabase, startS3, stopTestServer, type TestS3 } from '@streampulse/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmoke, warehouseSmokeSource, type SmokeSource } from '../src/cloud.js';
import { duckdbGlueLauncher } from './duckdb-glue.js';

// The Glue jobs' plans, run whole: every golden case through `runSmoke` (one ETL plan per playback
// file, one aggregation plan per day), with the plans compiled for DuckDB and executed by the
// DuckDB stand-in of the runner against a loopback S3 and a real PostgreSQL. What Spark would run
// differs only in the dialect's rendering, which the snapshot tests hold.

let s3: TestS3;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let source: SmokeSource;
const bucket = 'glue-plans';

beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(bucket);
  db = await createTestDatabase();
  source = await warehouseSmokeSource(db.url, (root) => openLake(root, { env: s3.env }));
}, 120_000);
afterAll(async () => {
  await source?.close();
  await db?.drop();
  await stopTestServer();
  await s3?.stop();
});

function jdbcArguments(databaseUrl: string): Record<string, string> {
  const url = new URL(databaseUrl);
  return {
    '--jdbc_url': `jdbc:postgresql://${url.host}${url.pathname}`,
    '--jdbc_user': decodeURIComponent(url.username),
    '--jdbc_password': decodeURIComponent(url.password),
  };
}

/** Every rejected row the ETL runs wrote under `rejected/playback/_glue/`, as parsed lines. */
async function glueRejections(lake: Lake): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  for await (const object of lake.list('rejected/playback/_glue/')) {
    if (object.key.split('/').at(-1)?.startsWith('_')) continue;
    const text = (await readObjectBytes(lake, object.key)).toString('utf8');
    for (const line of text.split('\n'))
      if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}

/** What the default engine quarantines for a case's lake, as parsed JSON lines. */
async function referenceRejections(golden: GoldenCase): Promise<Record<string, unknown>[]> {
  const lakeDir = mkdtempSync(join(tmpdir(), 'streampulse-reference-'));
  const reference = await createTestDatabase('reference');
  try {
    cpSync(golden.lakeDir, lakeDir, { recursive: true });
    const lake = openLake(lakeDir);
    const settings = pipelineSettingsSchema.parse({
      sourceTimeZone: golden.settings.source_tz,
      reportingTimeZone: golden.settings.reporting_tz,
    });
    await runEtlJob({ lake, pool: reference.pool, settings });
    const lines: Record<string, unknown>[] = [];
    for await (const object of lake.list(LAKE_LAYOUT.rejectedPlayback)) {
      const text = (await readObjectBytes(lake, object.key)).toString('utf8');
      for (const line of text.split('\n'))
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return lines;
  } finally {
    await reference.drop();
    rmSync(lakeDir, { recursive: true, force: true });
  }
}

/** Rejections in file and row order. */
function inOrder(rejections: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const at = (r: Record<string, unknown>) => `${String(r.source)}\u0000${String(r.row).padStart(12, '0')}`;
  return [...rejections].sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
}

describe('the Glue job plans, run by DuckDB', () => {
  for (const golden of goldenCases()) {
    it(`leave ${golden.name}'s expected table, aggregates, changed days and quarantine`, async () => {
      const { launcher, plans } = duckdbGlueLauncher(s3.env);
      const checks = await runSmoke(
        { launcher, lakeFor: (root) => openLake(root, { env: s3.env }), source },
        {
          lakeRoot: `s3://${bucket}/prod`,
          runId: 'r1',
          cases: [golden.dir],
          etlJob: 'streampulse-etl',
          aggregateJob: 'streampulse-aggregate',
          jobArguments: jdbcArguments(db.url),
          dialect: DUCKDB,
        },
      );
      expect(plans.length).toBeGreaterThan(0);
      const rejections = await glueRejections(
        openLake(`s3://${bucket}/prod/smoke/r1/${golden.name}`, { env: s3.env }),
      );
      // Each line as the default engine's quarantine writes it: source, row, reason, raw record.
      expect(inOrder(rejections)).toEqual(inOrder(await referenceRejections(golden)));
      expect(checks.filter((c) => !c.ok)).toEqual([]);
      expect(checks.map((c) => c.check)).toEqual(
        expect.arrayContaining([
          'processed_data',
          ...golden.days.flatMap((day) => [`daily_engagement ${day}`, `daily_active_users ${day}`]),
          'changed days',
          'rejected rows',
        ]),
      );
    }, 120_000);
  }
});
