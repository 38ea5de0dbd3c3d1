import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCases } from '@streampulse/golden';
import { openLake } from '@streampulse/lake';
import { LAKE_LAYOUT, pipelineSettingsSchema } from '@streampulse/schema';
import { compileEtlJobPlan, DUCKDB, type JobFile } from '@streampulse/sql';
import { createTestDatabase, startS3, stopTestServer, type TestS3 } from '@streampulse/test-servers';
import { dumpProcessedCsv, migrate } from '@streampulse/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delimitedHeader } from '../src/header.js';
import { runPlanWithDuckdb } from './duckdb-glue.js';
import { glueRejections, inOrder, referenceRun, writeFiles, type RunResult } from './plan-runs.js';

// The Glue ETL plan against the default engine (the reference) on playback files made to break
// readers: golden files mutated at random, each file through its own plan (as the ETL trigger
// plans one run per file, in key order), compared by table, quarantine lines and failed files.
// A search over 120 lakes of mutated CSV/TSV files and 40 of JSON files found no difference once
// the plan read files whole and the launcher read headers with the contract's reader; it runs here
// on a few seeds per format (with the launcher's former header reader each CSV seed here fails).

let s3: TestS3;
const bucket = 'glue-differential';
beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(bucket);
}, 60_000);
afterAll(async () => {
  await stopTestServer();
  await s3?.stop();
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The golden cases' playback files of the given extensions, in a fixed order. */
function playbackSources(extensions: RegExp): string[] {
  return goldenCases()
    .flatMap((c) => filesUnder(join(c.lakeDir, LAKE_LAYOUT.playback)))
    .filter((path) => extensions.test(path))
    .sort();
}

const TOKENS = {
  delimited: [
    '"',
    ',',
    '\t',
    '\n',
    '\r\n',
    '\r',
    ' "',
    '" ',
    '""',
    '\n\n',
    '   \n',
    '\uFEFF',
    'é',
    ',,',
    '"a,b"',
    '"x\ny"',
  ],
  json: [
    '"',
    ',',
    '\n',
    '\r\n',
    '\r',
    '{',
    '}',
    '[',
    ']',
    ':',
    '""',
    '\n\n',
    '   \n',
    '\uFEFF',
    'null',
    '1e3',
    '{}',
    '\\"',
  ],
};

function mutator(seed: number) {
  let state = seed;
  const random = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const mutate = (text: string, tokens: readonly string[]): string => {
    let out = text;
    for (let edits = 1 + Math.floor(random() * 4); edits > 0; edits--) {
      const at = Math.floor(random() * (out.length + 1));
      const edit = random();
      if (edit < 0.6) out = out.slice(0, at) + pick(tokens) + out.slice(at);
      else if (edit < 0.85) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 5));
      else out = out.slice(0, at);
    }
    return out;
  };
  return { pick, mutate };
}

/** The job file the ETL trigger would plan for a playback key and its text. */
function jobFileOf(key: string, text: string): JobFile {
  const extension = key.slice(key.lastIndexOf('.') + 1);
  if (extension === 'csv' || extension === 'tsv') {
    return {
      key,
      dataset: 'playback',
      format: extension,
      header: delimitedHeader(text, extension === 'csv' ? ',' : '\t'),
    };
  }
  const array =
    extension === 'json' &&
    text
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('[');
  return { key, dataset: 'playback', format: array ? 'json-array' : 'jsonl' };
}

let lakes = 0;

/** Each file through its own DuckDB-rendered plan, in key order, into one fresh warehouse. */
async function planRuns(files: Readonly<Record<string, string>>): Promise<RunResult> {
  const root = `s3://${bucket}/lake-${++lakes}`;
  const lake = openLake(root, { env: s3.env });
  for (const [key, text] of Object.entries(files)) await lake.write(key, text);
  const target = await createTestDatabase('plan');
  const failed: string[] = [];
  try {
    await migrate(target.pool);
    for (const key of Object.keys(files).sort()) {
      const plan = compileEtlJobPlan(DUCKDB, {
        lakeRoot: root,
        files: [jobFileOf(key, files[key] ?? '')],
        settings: pipelineSettingsSchema.parse({}),
        rejectedKey: `rejected/playback/_glue/${key}/`,
      });
      try {
        await runPlanWithDuckdb(plan, { env: s3.env, databaseUrl: target.url });
      } catch {
        failed.push(key);
      }
    }
    return {
      processedCsv: await dumpProcessedCsv(target.pool),
      rejections: await glueRejections(lake),
      failed,
    };
  } finally {
    await target.drop();
  }
}

describe('the Glue ETL plan against the default engine', () => {
  const cases = [
    ['CSV and TSV', /\.(csv|tsv)$/i, TOKENS.delimited, [201, 234, 239]],
    ['JSON Lines and JSON arrays', /\.(jsonl|json)$/i, TOKENS.json, [101, 113, 127]],
  ] as const;
  for (const [label, extensions, tokens, seeds] of cases) {
    const sources = playbackSources(extensions);
    it.each(seeds)(
      `agrees on ${label} mutated at random (seed %i)`,
      async (seed) => {
        const { pick, mutate } = mutator(seed);
        const files: Record<string, string> = {};
        for (let i = 0; i < 3; i++) {
          const source = pick(sources);
          files[`raw/playback/f${i}${source.slice(source.lastIndexOf('.')).toLowerCase()}`] = mutate(
            readFileSync(source, 'utf8'),
            tokens,
          );
        }
        const plan = await planRuns(files);
        const reference = await referenceRun((dir) => writeFiles(dir, files));
        expect(plan.failed).toEqual([...reference.failed].sort());
        expect(plan.processedCsv).toBe(reference.processedCsv);
        expect(inOrder(plan.rejections)).toEqual(inOrder(reference.rejections));
      },
      60_000,
    );
  }
});
