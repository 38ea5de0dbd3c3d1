import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { openLake } from '@streampulse/lake';
import { pipelineSettingsSchema } from '@streampulse/schema';
import { compileEtlJobPlan, SPARK } from '@streampulse/contract-sql';
import { startS3, type TestS3 } from '@streampulse/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseJobFiles, readSmokeCase } from '../src/cloud.js';
import {
  aggregationDays,
  etlRunFiles,
  lakeRootOfOutputPath,
  planAggregateRun,
  glueChangedDaysKey,
  glueRejectedKey,
  planEtlRun,
  RunPlanError,
} from '@streampulse/glue';

const caseDir = resolve(import.meta.dirname, '..', '..', '..', 'packages/testing/golden/fixtures/basic');
const golden = readSmokeCase(caseDir);
const bucket = 'golden-lake';
// A prefix under the bucket: keys and plan paths must carry it.
const lakeRoot = `s3://${bucket}/lakes/basic`;
const playbackKey = 'raw/playback/dt=2025-03-11/part-0002.csv.gz';

let s3: TestS3;

beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(bucket);
  for (const key of golden.rawKeys) {
    await s3.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `lakes/basic/${key}`,
        Body: readFileSync(resolve(caseDir, 'lake', key)),
      }),
    );
  }
}, 60_000);
afterAll(async () => s3?.stop());

const lakeAt = (root: string) => ({ lake: openLake(root, { env: s3.env }) });

async function objectText(key: string): Promise<string> {
  const response = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await response.Body?.transformToString()) ?? '';
}

async function runKeys(job: string): Promise<string[]> {
  const listed = await s3.client.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: `lakes/basic/scripts/glue/runs/${job}/` }),
  );
  return (listed.Contents ?? []).map((o) => o.Key ?? '');
}

describe('the ETL run planner on the golden lake in S3', () => {
  // The files (and headers) smoke reads from disk are the oracle for what the planner reads from S3.
  const onDisk = caseJobFiles(golden);
  const dimensions = onDisk.filter((f) => f.dataset !== 'playback');

  it('reads every dimension file with its header, then the playback file', async () => {
    const files = await etlRunFiles(lakeAt(lakeRoot), { jobName: 'streampulse-etl', inputKey: playbackKey });
    expect(files).toEqual([...dimensions, onDisk.find((f) => f.key === playbackKey)]);
    expect(files.map((f) => f.key)).toEqual([
      'raw/content_metadata/2025-03-01/catalog.csv',
      'raw/content_metadata/2025-03-05/catalog_update.jsonl.gz',
      'raw/user_profiles/users_part1.csv',
      'raw/user_profiles/users_part2.json',
      playbackKey,
    ]);
    const firstLine = (key: string) =>
      readFileSync(resolve(caseDir, 'lake', key), 'utf8')
        .split(/\r?\n/)[0]
        ?.replace(/^\uFEFF/, '');
    expect(files[0]?.header?.join(',')).toBe(firstLine('raw/content_metadata/2025-03-01/catalog.csv'));
    expect(files[2]?.header?.join(',')).toBe(firstLine('raw/user_profiles/users_part1.csv'));
    expect(files[4]?.header?.length).toBeGreaterThan(3);
  });

  it('uploads the compiled plan at its content-addressed key, and a second call writes the same key', async () => {
    const first = await planEtlRun(lakeAt(lakeRoot), { jobName: 'streampulse-etl', inputKey: playbackKey });
    const files = [...dimensions, ...onDisk.filter((f) => f.key === playbackKey)];
    expect(first.plan).toEqual(
      compileEtlJobPlan(SPARK, {
        lakeRoot,
        files,
        settings: pipelineSettingsSchema.parse({}),
        rejectedKey: glueRejectedKey(playbackKey),
        changedDaysKey: glueChangedDaysKey(playbackKey),
      }),
    );
    expect(first.plan.inputs.map((i) => ('path' in i ? i.path : ''))).toEqual(
      files.map((f) => `${lakeRoot}/${f.key}`),
    );
    expect(first.key).toMatch(/^scripts\/glue\/runs\/streampulse-etl\/[0-9a-f]{64}\.json$/);
    expect(first.planPath).toBe(`${lakeRoot}/${first.key}`);
    const body = await objectText(`lakes/basic/${first.key}`);
    expect(JSON.parse(body)).toEqual(first.plan);
    expect(first.key).toContain(createHash('sha256').update(body).digest('hex'));

    const second = await planEtlRun(lakeAt(lakeRoot), { jobName: 'streampulse-etl', inputKey: playbackKey });
    expect(second.planPath).toBe(first.planPath);
    expect(await runKeys('streampulse-etl')).toEqual([`lakes/basic/${first.key}`]);
  });

  it('gives each playback file its own rejected-rows folder, which a rerun of that file replaces', async () => {
    const rejectedPath = (
      run: { plan: { outputs: readonly { kind: string; path?: string }[] } } | undefined,
    ) => run?.plan.outputs.find((o) => o.kind === 'lines')?.path;
    const other = 'raw/playback/dt=2025-03-13/events.json';
    const [a, b] = await Promise.all(
      [playbackKey, other].map((inputKey) =>
        planEtlRun(lakeAt(lakeRoot), { jobName: 'streampulse-etl', inputKey }),
      ),
    );
    expect(rejectedPath(a)).toBe(
      `${lakeRoot}/rejected/playback/_glue/${playbackKey.slice('raw/playback/'.length)}/`,
    );
    expect(rejectedPath(b)).toBe(`${lakeRoot}/rejected/playback/_glue/dt=2025-03-13/events.json/`);
    expect(glueRejectedKey('uploads/x.csv', 'uploads/')).toBe('rejected/playback/_glue/x.csv/');
  });

  it('plans a truncated gzip from the header it still holds, and a JSON array as json-array', async () => {
    const truncated = 'raw/playback/dt=2025-03-16/truncated.csv.gz';
    const files = await etlRunFiles(lakeAt(lakeRoot), { jobName: 'streampulse-etl', inputKey: truncated });
    expect(files.at(-1)).toEqual(onDisk.find((f) => f.key === truncated));
    const json = 'raw/playback/dt=2025-03-13/events.json';
    const withJson = await etlRunFiles(lakeAt(lakeRoot), { jobName: 'streampulse-etl', inputKey: json });
    expect(withJson.at(-1)).toEqual(onDisk.find((f) => f.key === json));
  });

  it('refuses a playback key that is no data file', async () => {
    const deps = lakeAt(lakeRoot);
    const notes = planEtlRun(deps, {
      jobName: 'streampulse-etl',
      inputKey: 'raw/playback/dt=2025-03-16/notes.txt',
    });
    await expect(notes).rejects.toBeInstanceOf(RunPlanError);
    await expect(notes).rejects.toMatchObject({ code: 'not_data_file' });
  });

  it('reports a missing object as read_failed with the S3 error as cause', async () => {
    const error = await planEtlRun(lakeAt(lakeRoot), {
      jobName: 'streampulse-etl',
      inputKey: 'raw/playback/missing.csv',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RunPlanError', code: 'read_failed' });
    expect((error as Error).cause).toBeDefined();
  });
});

describe('the aggregation run planner', () => {
  it('plans the run date and its lookback days, at one content-addressed key', async () => {
    const options = { jobName: 'streampulse-aggregate', runDate: '2025-03-01', lookbackDays: 1 };
    const first = await planAggregateRun(lakeAt(lakeRoot), options);
    expect(first.plan.inputs.map((i) => ('query' in i ? i.query : ''))).toEqual([
      "SELECT * FROM processed.processed_data WHERE event_date = DATE '2025-02-28'",
      "SELECT * FROM processed.processed_data WHERE event_date = DATE '2025-03-01'",
    ]);
    expect(JSON.parse(await objectText(`lakes/basic/${first.key}`))).toEqual(first.plan);
    expect((await planAggregateRun(lakeAt(lakeRoot), options)).planPath).toBe(first.planPath);
    expect(await runKeys('streampulse-aggregate')).toEqual([`lakes/basic/${first.key}`]);
  });

  it('adds every day a Glue ETL run recorded since changedSince, and only those', async () => {
    const put = (key: string, body: string) =>
      s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `lakes/basic/${key}`, Body: body }));
    const marker = glueChangedDaysKey('raw/playback/dt=2025-02-10/late.csv');
    await put(`${marker}part-00000-1f.json`, '{"event_date":"2025-02-10"}\n{"event_date":"2025-02-11"}\n');
    await put(`${marker}part-00001-1f.json`, '{"event_date":"2025-03-01"}\n');
    await put(`${marker}_SUCCESS`, '');
    const options = { jobName: 'streampulse-aggregate', runDate: '2025-03-01', lookbackDays: 1 };
    const days = (run: { plan: { inputs: readonly { view: string }[] } }) =>
      run.plan.inputs.map((i) => ('query' in i ? String(i.query).slice(-11, -1) : ''));

    const recent = await planAggregateRun(lakeAt(lakeRoot), {
      ...options,
      changedSince: new Date(Date.now() - 3_600_000),
    });
    expect(days(recent)).toEqual(['2025-02-10', '2025-02-11', '2025-02-28', '2025-03-01']);
    const later = await planAggregateRun(lakeAt(lakeRoot), {
      ...options,
      changedSince: new Date(Date.now() + 3_600_000),
    });
    expect(days(later)).toEqual(['2025-02-28', '2025-03-01']);
  });

  it('reports a changed-days object that is not JSON Lines as read_failed, naming it', async () => {
    await s3.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'lakes/bad/state/changed-days/a.csv/part-00000-2e.json',
        Body: 'not json\n',
      }),
    );
    await expect(
      planAggregateRun(lakeAt(`s3://${bucket}/lakes/bad`), {
        jobName: 'streampulse-aggregate',
        runDate: '2025-03-01',
        lookbackDays: 0,
        changedSince: new Date(0),
      }),
    ).rejects.toMatchObject({
      code: 'read_failed',
      message: `s3://${bucket}/lakes/bad/state/changed-days/a.csv/part-00000-2e.json: not JSON Lines`,
    });
  });

  it('counts days back across months and refuses bad input', () => {
    expect(aggregationDays('2024-03-01', 2)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(aggregationDays('2025-03-14', 0)).toEqual(['2025-03-14']);
    expect(() => aggregationDays('14/03/2025', 1)).toThrow(RunPlanError);
    expect(() => aggregationDays('2025-03-14', -1)).toThrow(RunPlanError);
  });

  it('finds the lake root of an output path', () => {
    expect(lakeRootOfOutputPath('s3://lake/analytics/daily_aggregates/')).toBe('s3://lake');
    expect(lakeRootOfOutputPath('s3://lake/prod/analytics/daily_aggregates')).toBe('s3://lake/prod');
    expect(() => lakeRootOfOutputPath('s3://lake/elsewhere/')).toThrow(RunPlanError);
  });
});
