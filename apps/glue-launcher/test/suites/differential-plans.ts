import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { goldenCases, seededMutation } from '@streampulse/golden';
import { LAKE_LAYOUT } from '@streampulse/schema';
import { startS3, stopTestServer, type TestS3 } from '@streampulse/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inOrder, planRuns, referenceRun, writeFiles, type PlanEngine } from '../plan-runs.js';

// The Glue ETL plan against the default engine (the reference) on playback files made to break
// readers: golden files mutated at random, each file through its own plan (as the ETL trigger
// plans one run per file, in key order), compared by table, quarantine lines and failed files.
// A search over 120 lakes of mutated CSV/TSV files and 40 of JSON files found no difference once
// the plan read files whole and the launcher read headers with the contract's reader; it runs here
// on a few seeds per format (with the launcher's former header reader each CSV seed here fails).

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The golden cases' data files under `prefix` with the given extensions, in a fixed order. */
function goldenSources(prefix: string, extensions: RegExp): string[] {
  return goldenCases()
    .flatMap((c) => filesUnder(join(c.lakeDir, prefix)))
    .filter((path) => extensions.test(path))
    .sort();
}

/** The basic case's dimension files, as lake key -> text. */
function basicDimensions(): Record<string, string> {
  const basic = goldenCases().find((c) => c.name === 'basic');
  if (!basic) throw new Error('the golden case "basic" is missing');
  const files: Record<string, string> = {};
  for (const prefix of [LAKE_LAYOUT.contentMetadata, LAKE_LAYOUT.userProfiles]) {
    for (const path of filesUnder(join(basic.lakeDir, prefix))) {
      if (!/\.(csv|tsv|jsonl|json)$/i.test(path)) continue;
      files[relative(basic.lakeDir, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  }
  return files;
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

/**
 * Declares the differential tests of the ETL plan on one engine; `engine` is called once the
 * loopback S3 is up (its settings are the lake's).
 */
export function describeDifferentialPlans(
  engineName: string,
  engine: (env: Record<string, string>) => PlanEngine,
  s3Server: () => Promise<TestS3> = startS3,
): void {
  let s3: TestS3;
  let planEngine: PlanEngine;
  const bucket = 'glue-differential';
  beforeAll(async () => {
    s3 = await s3Server();
    await s3.createBucket(bucket);
    planEngine = engine(s3.env);
  }, 60_000);
  afterAll(async () => {
    await planEngine?.runner.close();
    await stopTestServer();
    await s3?.stop();
  });
  let lakes = 0;

  describe(`the Glue ETL plan, run by ${engineName}, against the default engine`, () => {
    const cases = [
      ['CSV and TSV', /\.(csv|tsv)$/i, TOKENS.delimited, [201, 234, 239]],
      ['JSON Lines and JSON arrays', /\.(jsonl|json)$/i, TOKENS.json, [101, 113, 127]],
    ] as const;
    for (const [label, extensions, tokens, seeds] of cases) {
      const sources = goldenSources(LAKE_LAYOUT.playback, extensions);
      it.each(seeds)(
        `agrees on ${label} mutated at random (seed %i)`,
        async (seed) => {
          const { pick, mutate } = seededMutation(seed);
          const files: Record<string, string> = {};
          for (let i = 0; i < 3; i++) {
            const source = pick(sources);
            files[`raw/playback/f${i}${source.slice(source.lastIndexOf('.')).toLowerCase()}`] = mutate(
              readFileSync(source, 'utf8'),
              tokens,
            );
          }
          const plan = await planRuns(planEngine, s3.env, `s3://${bucket}/lake-${++lakes}`, files);
          const reference = await referenceRun((dir) => writeFiles(dir, files));
          expect(plan.failed).toEqual([...reference.failed].sort());
          expect(plan.processedCsv).toBe(reference.processedCsv);
          expect(inOrder(plan.rejections)).toEqual(inOrder(reference.rejections));
        },
        300_000,
      );
    }

    it.each([306, 307, 311])(
      'agrees when a dimension file is mutated too: a broken one loses its rows, every run goes on (seed %i)',
      async (seed) => {
        const { pick, mutate } = seededMutation(seed);
        const files: Record<string, string> = basicDimensions();
        for (const [prefix, name] of [
          [LAKE_LAYOUT.contentMetadata, 'zz-mutated'],
          [LAKE_LAYOUT.userProfiles, 'zz-mutated'],
        ] as const) {
          const source = pick(goldenSources(prefix, /\.(csv|tsv|jsonl|json)$/i));
          const extension = source.slice(source.lastIndexOf('.')).toLowerCase();
          const tokens = extension === '.csv' || extension === '.tsv' ? TOKENS.delimited : TOKENS.json;
          files[`${prefix}${name}${extension}`] = mutate(readFileSync(source, 'utf8'), tokens);
        }
        const playback = goldenSources(LAKE_LAYOUT.playback, /\.(csv|tsv|jsonl|json)$/i);
        for (let i = 0; i < 2; i++) {
          const source = pick(playback);
          files[`raw/playback/f${i}${source.slice(source.lastIndexOf('.')).toLowerCase()}`] = readFileSync(
            source,
            'utf8',
          );
        }
        const plan = await planRuns(planEngine, s3.env, `s3://${bucket}/lake-${++lakes}`, files);
        const reference = await referenceRun((dir) => writeFiles(dir, files));
        expect(plan.failed).toEqual(
          reference.failed.filter((key) => key.startsWith(LAKE_LAYOUT.playback)).sort(),
        );
        expect(plan.processedCsv).toBe(reference.processedCsv);
        expect(inOrder(plan.rejections)).toEqual(inOrder(reference.rejections));
      },
      300_000,
    );
  });
}
