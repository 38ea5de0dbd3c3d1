import { cpSync } from 'node:fs';
import { goldenCases, type GoldenCase } from '@streampulse/golden';
import { openLake } from '@streampulse/lake';
import { jdbcArguments } from '@streampulse/plan-runner';
import { pipelineSettingsSchema } from '@streampulse/schema';
import {
  createTestDatabase,
  startS3,
  stopTestServer,
  type TestDatabase,
  type TestS3,
} from '@streampulse/test-servers';
import { dumpProcessedCsv, migrate } from '@streampulse/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmoke, warehouseSmokeSource, type SmokeSource } from '../../src/cloud.js';
import { PlanJobLauncher } from '@streampulse/glue/local';
import { planEtlRun } from '@streampulse/glue';
import {
  glueRejections,
  inOrder,
  planRuns,
  referenceRun,
  writeFiles,
  type PlanEngine,
} from '../plan-runs.js';
import { textLineLogger } from '@streampulse/logging';

// The Glue jobs' plans, run whole by an engine: every golden case through `runSmoke` (one ETL
// plan per playback file and one aggregation plan per day, planned as the trigger Lambdas plan
// them), against a loopback S3 and a real PostgreSQL; then the ETL plan against the default
// engine on files that break readers. The same suite runs on DuckDB (`npm test`) and on Spark
// (`npm run test:spark`).

/**
 * Declares the golden and reader tests of the job plans on one engine; `engine` is called once
 * the loopback S3 is up (its settings are the lake's).
 */
export function describeGoldenPlans(
  engineName: string,
  engine: (env: Record<string, string>) => PlanEngine,
  s3Server: () => Promise<TestS3> = startS3,
): void {
  let s3: TestS3;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let source: SmokeSource;
  let planEngine: PlanEngine;
  const bucket = 'glue-plans';

  beforeAll(async () => {
    s3 = await s3Server();
    await s3.createBucket(bucket);
    db = await createTestDatabase();
    source = await warehouseSmokeSource(db.url, (root) => openLake(root, { env: s3.env }));
    planEngine = engine(s3.env);
  }, 120_000);
  afterAll(async () => {
    await planEngine?.runner.close();
    await source?.close();
    await db?.drop();
    await stopTestServer();
    await s3?.stop();
  });

  /** What the default engine quarantines for a case's lake, as parsed JSON lines. */
  async function referenceRejections(golden: GoldenCase): Promise<Record<string, unknown>[]> {
    const settings = pipelineSettingsSchema.parse({
      sourceTimeZone: golden.settings.source_tz,
      reportingTimeZone: golden.settings.reporting_tz,
    });
    const run = await referenceRun((dir) => cpSync(golden.lakeDir, dir, { recursive: true }), settings);
    return run.rejections;
  }

  describe(`the Glue job plans, run by ${engineName}`, () => {
    for (const golden of goldenCases()) {
      it(`leave ${golden.name}'s expected table, aggregates, changed days and quarantine`, async () => {
        const launcher = new PlanJobLauncher(planEngine.runner);
        const checks = await runSmoke(
          {
            launcher,
            lakeFor: (root) => openLake(root, { env: s3.env }),
            source,
            // Progress, one line per run: a Spark run takes seconds.
            logger: textLineLogger((line) => console.log(line)),
          },
          {
            lakeRoot: `s3://${bucket}/prod`,
            runId: 'r1',
            cases: [golden.dir],
            etlJob: 'streampulse-etl',
            aggregateJob: 'streampulse-aggregate',
            jobArguments: jdbcArguments(db.url),
            dialect: planEngine.dialect,
          },
        );
        expect(checks.filter((c) => !c.ok)).toEqual([]);
        expect(checks.map((c) => c.check)).toEqual(
          expect.arrayContaining([
            'processed_data',
            ...golden.days.flatMap((day) => [`daily_engagement ${day}`, `daily_active_users ${day}`]),
            'changed days',
            'rejected rows',
          ]),
        );
        const rejections = await glueRejections(
          openLake(`s3://${bucket}/prod/smoke/r1/${golden.name}`, { env: s3.env }),
        );
        // Each line as the default engine's quarantine writes it: source, row, reason, raw record.
        expect(inOrder(rejections)).toEqual(inOrder(await referenceRejections(golden)));
      }, 600_000);
    }
  });

  let adhoc = 0;
  const PROCESSED_HEADER =
    'session_id,user_id,content_id,title,genre,region,device_type,start_time,end_time,duration_min,event_date';

  /** The files through their plans and through the default engine. */
  async function bothWays(files: Readonly<Record<string, string>>) {
    const plan = await planRuns(planEngine, s3.env, `s3://${bucket}/adhoc/${++adhoc}`, files);
    const reference = await referenceRun((dir) => writeFiles(dir, files));
    return { plan, reference };
  }

  describe(`the ETL job plan, run by ${engineName}, against the default engine`, () => {
    it('reads JSON Lines as the contract does: LF, CRLF or CR ends a line, blank lines and a BOM dropped', async () => {
      const session = (id: string, start: string, end: string) =>
        `{"session_id": "${id}", "user_id": "U1", "content_id": "C1", "start_time": "${start}", "end_time": "${end}"}`;
      const { plan, reference } = await bothWays({
        'raw/playback/a.jsonl':
          `\uFEFF${session('S1', '2025-03-10T10:00:00Z', '2025-03-10T10:30:00Z')}\r\n\r\n  \n` +
          `${session('S2', '2025-03-10T10:00:00Z', '2025-03-10T10:40:00Z')}\r` +
          `${session('S3', '2025-03-10T10:00:00Z', '2025-03-10T10:50:00Z')}\n` +
          session('S4', '2025-03-10T11:00:00Z', '2025-03-10T10:50:00Z'),
        'raw/playback/b.json': `\uFEFF[${session('S5', '2025-03-10T10:00:00Z', '2025-03-10T10:05:00Z')}, 7]`,
      });
      // The lone CR ends S2's line, the blank lines are not counted: S4 is row 4; 7 is no object.
      expect(inOrder(reference.rejections).map((r) => [r.source, r.row, r.reason])).toEqual([
        ['raw/playback/a.jsonl', 4, 'non_positive_duration'],
        ['raw/playback/b.json', 2, 'malformed_row'],
      ]);
      expect(plan.processedCsv).toBe(reference.processedCsv);
      expect(inOrder(plan.rejections)).toEqual(inOrder(reference.rejections));
    }, 300_000);

    it('reads CSV and TSV as the contract does: quoting, line ends, empty lines, long and short rows', async () => {
      const row = (id: string, end = '2025-03-10T10:30:00Z') => `${id},U1,C1,2025-03-10T10:00:00Z,${end}`;
      const { plan, reference } = await bothWays({
        'raw/playback/a.csv':
          '\uFEFF\r\nsession_id,user_id,content_id,start_time,end_time\r\n' +
          `${row('S1')}\r\n\r\n` +
          `"S""2",U1,"C\n1",2025-03-10T10:00:00Z,2025-03-10T10:40:00Z\r` +
          '   \n,,\n' +
          `${row('S3', '2025-03-10T10:50:00Z')},extra,more,"and, more"\n` +
          `${row('S"4', '2025-03-10T11:00:00Z')}\n` +
          `${row('S5')},`,
        'raw/playback/b.tsv':
          'session_id\tuser_id\tcontent_id\tstart_time\tend_time\n"T\t1"\tU1\tC1\t2025-03-10T10:00:00Z\t2025-03-10T10:30:00Z\n',
      });
      // The reference's reading, spelled out: rows 3-5 and 7 are the white-space line, the commas,
      // the long row (kept whole in the quarantine) and the short one; S"4 keeps its quote.
      expect(inOrder(reference.rejections).map((r) => [r.row, r.reason])).toEqual([
        [3, 'malformed_row'],
        [4, 'malformed_row'],
        [5, 'malformed_row'],
        [7, 'malformed_row'],
      ]);
      expect(reference.rejections.find((r) => r.row === 5)?.record).toEqual([
        ...row('S3', '2025-03-10T10:50:00Z').split(','),
        'extra',
        'more',
        'and, more',
      ]);
      expect(reference.processedCsv).toContain('"S""4",');
      expect(plan.processedCsv).toBe(reference.processedCsv);
      expect(inOrder(plan.rejections)).toEqual(inOrder(reference.rejections));
    }, 300_000);

    it.each([
      [
        'a quote left open at the end',
        'raw/playback/q.csv',
        'session_id,user_id\nS1,"U1\n',
        /a quote left open or text after a closing quote/,
      ],
      [
        'text after a closing quote',
        'raw/playback/q.csv',
        'session_id,user_id\n"S1"x,U1\n',
        /a quote left open or text after a closing quote/,
      ],
      [
        'a quote left open in a file of no other record',
        'raw/playback/q.csv',
        '"',
        /a quote left open or text after a closing quote/,
      ],
      [
        'a .json file that is not a JSON array',
        'raw/playback/q.json',
        '[{"session_id": "S1"}, {"session_id": "S2"',
        // DuckDB names JSON; Spark's FAILFAST reader gives Jackson's JsonEOFException.
        /JSON/i,
      ],
    ])(
      'fails the run on %s, where the contract fails the file',
      async (_, key, text, why) => {
        const { plan, reference } = await bothWays({ [key]: text });
        expect(reference.failed).toEqual([key]);
        expect(plan.failed).toEqual([key]);
        expect(plan.errors[key]).toMatch(why);
        if (key.endsWith('.csv')) expect(plan.errors[key]).toContain(key);
        expect(plan.processedCsv).toBe(`${PROCESSED_HEADER}\n`);
        expect(plan.rejections).toEqual([]);
      },
      300_000,
    );
  });
  describe(`two ETL runs at once, on ${engineName}`, () => {
    const session = (id: string, end: string) => `${id},U1,C1,2025-03-10T10:00:00Z,${end}`;
    // S2 is in both files with different ends: the strictly-later rule keeps the later one
    // whichever run merges first, so the runs' order cannot change the table.
    const files = {
      'raw/content_metadata/c.csv': 'content_id,title,genre\nC1,One,Drama\n',
      'raw/user_profiles/u.csv': 'user_id,region\nU1,north\n',
      'raw/playback/a.csv': `session_id,user_id,content_id,start_time,end_time\n${session('S1', '2025-03-10T10:30:00Z')}\n${session('S2', '2025-03-10T10:40:00Z')}\n`,
      'raw/playback/b.csv': `session_id,user_id,content_id,start_time,end_time\n${session('S2', '2025-03-10T10:50:00Z')}\n${session('S3', '2025-03-10T11:00:00Z')}\n`,
    };
    const schemaOf = async (pool: TestDatabase['pool']) =>
      (
        await pool.query<{ line: string }>(
          `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS line
             FROM information_schema.columns WHERE table_schema = 'processed' ORDER BY 1`,
        )
      ).rows.map((row) => row.line);

    it('into an empty database leave the table and schema that running them in turn leaves, and no staging table', async () => {
      const sequential = await planRuns(planEngine, s3.env, `s3://${bucket}/turns`, files);
      expect(sequential.failed).toEqual([]);
      const lake = openLake(`s3://${bucket}/at-once`, { env: s3.env });
      for (const [key, text] of Object.entries(files)) await lake.write(key, text);
      const plans = await Promise.all(
        ['raw/playback/a.csv', 'raw/playback/b.csv'].map((inputKey) =>
          planEtlRun({ lake }, { jobName: 'streampulse-etl', inputKey, dialect: planEngine.dialect }),
        ),
      );
      const empty = await createTestDatabase('at_once');
      const migrated = await createTestDatabase('migrated');
      const other = engine(s3.env);
      try {
        // Two runners, so the runs really overlap (one Spark JVM runs its plans in turn); the
        // database is empty, so both plans also create the schema at once.
        await Promise.all([
          planEngine.runner.run(plans[0]?.planPath ?? '', empty.url),
          other.runner.run(plans[1]?.planPath ?? '', empty.url),
        ]);
        expect(await dumpProcessedCsv(empty.pool)).toBe(sequential.processedCsv);
        const staging = await empty.pool.query(
          `SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'glue_staging%'`,
        );
        expect(staging.rows).toEqual([]);
        await migrate(migrated.pool);
        expect(await schemaOf(empty.pool)).toEqual(await schemaOf(migrated.pool));
      } finally {
        await other.runner.close();
        await empty.drop();
        await migrated.drop();
      }
    }, 900_000);
  });
}
