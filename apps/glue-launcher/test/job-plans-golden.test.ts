import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCases, type GoldenCase } from '@streampulse/golden';
import { openLake } from '@streampulse/lake';
import { pipelineSettingsSchema } from '@streampulse/schema';
import { compileEtlJobPlan, DUCKDB, type JobFile } from '@streampulse/sql';
import { dumpProcessedCsv, migrate } from '@streampulse/warehouse';
import { createTestDatabase, startS3, stopTestServer, type TestS3 } from '@streampulse/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmoke, warehouseSmokeSource, type SmokeSource } from '../src/cloud.js';
import { delimitedHeader } from '../src/header.js';
import { duckdbGlueLauncher, runPlanWithDuckdb } from './duckdb-glue.js';
import { glueRejections, inOrder, referenceRun, writeFiles } from './plan-runs.js';

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

/** What the default engine quarantines for a case's lake, as parsed JSON lines. */
async function referenceRejections(golden: GoldenCase): Promise<Record<string, unknown>[]> {
  const settings = pipelineSettingsSchema.parse({
    sourceTimeZone: golden.settings.source_tz,
    reportingTimeZone: golden.settings.reporting_tz,
  });
  const run = await referenceRun((dir) => cpSync(golden.lakeDir, dir, { recursive: true }), settings);
  return run.rejections;
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

let adhoc = 0;
const PROCESSED_HEADER =
  'session_id,user_id,content_id,title,genre,region,device_type,start_time,end_time,duration_min,event_date';

describe('one ETL job plan, run by DuckDB, against the default engine', () => {
  it('reads JSON Lines as the contract does: LF, CRLF or CR ends a line, blank lines and a BOM dropped', async () => {
    const files: Record<string, string> = {
      'raw/playback/a.jsonl':
        '\uFEFF{"session_id": "S1", "user_id": "U1", "content_id": "C1", "start_time": "2025-03-10T10:00:00Z", "end_time": "2025-03-10T10:30:00Z"}\r\n' +
        '\r\n  \n' +
        '{"session_id": "S2", "user_id": "U1", "content_id": "C1", "start_time": "2025-03-10T10:00:00Z", "end_time": "2025-03-10T10:40:00Z"}\r' +
        '{"session_id": "S3", "user_id": "U1", "content_id": "C1", "start_time": "2025-03-10T10:00:00Z", "end_time": "2025-03-10T10:50:00Z"}\n' +
        '{"session_id": "S4", "user_id": "U1", "content_id": "C1", "start_time": "2025-03-10T11:00:00Z", "end_time": "2025-03-10T10:50:00Z"}',
      'raw/playback/b.json':
        '\uFEFF[{"session_id": "S5", "user_id": "U1", "content_id": "C1", "start_time": "2025-03-10T10:00:00Z", "end_time": "2025-03-10T10:05:00Z"}, 7]',
    };
    const root = `s3://${bucket}/adhoc/${++adhoc}`;
    const lake = openLake(root, { env: s3.env });
    for (const [key, text] of Object.entries(files)) await lake.write(key, text);
    const jobFiles: JobFile[] = [
      { key: 'raw/playback/a.jsonl', dataset: 'playback', format: 'jsonl' },
      { key: 'raw/playback/b.json', dataset: 'playback', format: 'json-array' },
    ];
    const plan = compileEtlJobPlan(DUCKDB, {
      lakeRoot: root,
      files: jobFiles,
      settings: pipelineSettingsSchema.parse({}),
    });
    const target = await createTestDatabase('plan');
    try {
      await migrate(target.pool);
      await runPlanWithDuckdb(plan, { env: s3.env, databaseUrl: target.url });
      const expected = await referenceRun((dir) => writeFiles(dir, files));
      // The lone CR ends S2's line, the blank lines are not counted: S4 is row 4; 7 is no object.
      expect(inOrder(expected.rejections).map((r) => [r.source, r.row, r.reason])).toEqual([
        ['raw/playback/a.jsonl', 4, 'non_positive_duration'],
        ['raw/playback/b.json', 2, 'malformed_row'],
      ]);
      expect(await dumpProcessedCsv(target.pool)).toBe(expected.processedCsv);
      expect(inOrder(await glueRejections(lake))).toEqual(inOrder(expected.rejections));
    } finally {
      await target.drop();
    }
  }, 60_000);

  it('fails the run on a .json file that is not a JSON array, where the contract fails the file', async () => {
    const text = '[{"session_id": "S1", "user_id": "U1"}, {"session_id": "S2"';
    const root = `s3://${bucket}/adhoc/${++adhoc}`;
    const lake = openLake(root, { env: s3.env });
    await lake.write('raw/playback/broken.json', text);
    const plan = compileEtlJobPlan(DUCKDB, {
      lakeRoot: root,
      files: [{ key: 'raw/playback/broken.json', dataset: 'playback', format: 'json-array' }],
      settings: pipelineSettingsSchema.parse({}),
    });
    const target = await createTestDatabase('plan');
    try {
      await migrate(target.pool);
      await expect(runPlanWithDuckdb(plan, { env: s3.env, databaseUrl: target.url })).rejects.toThrow(/JSON/);
      expect(await dumpProcessedCsv(target.pool)).toBe(`${PROCESSED_HEADER}\n`);
    } finally {
      await target.drop();
    }
    const reference = await referenceRun((dir) => {
      mkdirSync(join(dir, 'raw/playback'), { recursive: true });
      writeFileSync(join(dir, 'raw/playback/broken.json'), text);
    });
    expect(reference.failed).toEqual(['raw/playback/broken.json']);
    expect(reference.rejections).toEqual([]);
    expect(reference.processedCsv).toBe(`${PROCESSED_HEADER}\n`);
  }, 60_000);

  it('reads CSV and TSV as the contract does: quoting, line ends, empty lines, long and short rows', async () => {
    const row = (id: string, end = '2025-03-10T10:30:00Z') => `${id},U1,C1,2025-03-10T10:00:00Z,${end}`;
    const files: Record<string, string> = {
      'raw/playback/a.csv':
        '\uFEFF\r\nsession_id,user_id,content_id,start_time,end_time\r\n' +
        `${row('S1')}\r\n\r\n` +
        `"S""2",U1,"C\n1",2025-03-10T10:00:00Z,2025-03-10T10:40:00Z\r` +
        '   \n,,\n' +
        `S3,U1,C1,2025-03-10T10:00:00Z,2025-03-10T10:50:00Z,extra,more,"and, more"\n` +
        `S"4,U1,C1,2025-03-10T10:00:00Z,2025-03-10T11:00:00Z\n` +
        `${row('S5')},`,
      'raw/playback/b.tsv':
        'session_id\tuser_id\tcontent_id\tstart_time\tend_time\n"T\t1"\tU1\tC1\t2025-03-10T10:00:00Z\t2025-03-10T10:30:00Z\n',
    };
    const root = `s3://${bucket}/adhoc/${++adhoc}`;
    const lake = openLake(root, { env: s3.env });
    for (const [key, text] of Object.entries(files)) await lake.write(key, text);
    const jobFiles: JobFile[] = [
      {
        key: 'raw/playback/a.csv',
        dataset: 'playback',
        format: 'csv',
        header: delimitedHeader(files['raw/playback/a.csv'] ?? '', ','),
      },
      {
        key: 'raw/playback/b.tsv',
        dataset: 'playback',
        format: 'tsv',
        header: delimitedHeader(files['raw/playback/b.tsv'] ?? '', '\t'),
      },
    ];
    const plan = compileEtlJobPlan(DUCKDB, {
      lakeRoot: root,
      files: jobFiles,
      settings: pipelineSettingsSchema.parse({}),
    });
    const target = await createTestDatabase('plan');
    try {
      await migrate(target.pool);
      await runPlanWithDuckdb(plan, { env: s3.env, databaseUrl: target.url });
      const expected = await referenceRun((dir) => writeFiles(dir, files));
      // The reference's reading, spelled out: rows 3-6 are the white-space line, the commas, the
      // long row (kept whole in the quarantine) and the short one; S"4 keeps its quote.
      expect(inOrder(expected.rejections).map((r) => [r.row, r.reason])).toEqual([
        [3, 'malformed_row'],
        [4, 'malformed_row'],
        [5, 'malformed_row'],
        [7, 'malformed_row'],
      ]);
      expect(expected.rejections.find((r) => r.row === 5)?.record).toEqual([
        'S3',
        'U1',
        'C1',
        '2025-03-10T10:00:00Z',
        '2025-03-10T10:50:00Z',
        'extra',
        'more',
        'and, more',
      ]);
      expect(expected.processedCsv).toContain('"S""4",');
      expect(await dumpProcessedCsv(target.pool)).toBe(expected.processedCsv);
      expect(inOrder(await glueRejections(lake))).toEqual(inOrder(expected.rejections));
    } finally {
      await target.drop();
    }
  }, 60_000);

  it.each([
    ['a quote left open at the end', 'session_id,user_id\nS1,"U1\n'],
    ['text after a closing quote', 'session_id,user_id\n"S1"x,U1\n'],
    ['a quote left open in a file of no other record', '"'],
  ])(
    'fails the run on %s, naming the file, where the contract fails the file',
    async (_, text) => {
      const root = `s3://${bucket}/adhoc/${++adhoc}`;
      const lake = openLake(root, { env: s3.env });
      await lake.write('raw/playback/q.csv', text);
      const plan = compileEtlJobPlan(DUCKDB, {
        lakeRoot: root,
        files: [
          {
            key: 'raw/playback/q.csv',
            dataset: 'playback',
            format: 'csv',
            header: delimitedHeader(text, ','),
          },
        ],
        settings: pipelineSettingsSchema.parse({}),
      });
      const target = await createTestDatabase('plan');
      try {
        await migrate(target.pool);
        await expect(runPlanWithDuckdb(plan, { env: s3.env, databaseUrl: target.url })).rejects.toThrow(
          'raw/playback/q.csv: a quote left open or text after a closing quote',
        );
      } finally {
        await target.drop();
      }
      const reference = await referenceRun((dir) => {
        mkdirSync(join(dir, 'raw/playback'), { recursive: true });
        writeFileSync(join(dir, 'raw/playback/q.csv'), text);
      });
      expect(reference.failed).toEqual(['raw/playback/q.csv']);
    },
    60_000,
  );
});
