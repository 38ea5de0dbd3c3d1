import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { goldenCases, seededMutation } from '@streampulse/golden';
import { DEFAULT_SETTINGS, LAKE_LAYOUT } from '@streampulse/schema';
import { stopTestServer } from '@streampulse/test-servers';
import { afterAll, describe, expect, it } from 'vitest';
import { copyLake, filesUnder, runBothEngines, withoutErrors, writeLake } from './engines.js';

afterAll(stopTestServer);

// The ETL on the compiled plan against the default engine (the reference) on files made to break readers:
// the same report, table and quarantine, byte for byte. The named cases are what a seeded
// mutation search over the golden files found; the search itself runs here on a few seeds.

const basic = goldenCases().find((c) => c.name === 'basic');
if (!basic) throw new Error('the golden case "basic" is missing');
/** The basic case's dimensions, without its playback files. */
const dimensions = copyLake(basic.lakeDir);
rmSync(join(dimensions, LAKE_LAYOUT.playback), { recursive: true, force: true });
afterAll(() => rmSync(dimensions, { recursive: true, force: true }));

/** Runs both engines on a lake of the basic dimensions and `playback`; returns what differs. */
async function differences(playback: Record<string, string | Uint8Array>): Promise<string[]> {
  const lake = writeLake(playback, dimensions);
  try {
    const { plan, reference } = await runBothEngines(lake, DEFAULT_SETTINGS);
    const found: string[] = [];
    if (JSON.stringify(withoutErrors(plan.report)) !== JSON.stringify(withoutErrors(reference.report))) {
      found.push(`report: ${JSON.stringify(plan.report.files)} vs ${JSON.stringify(reference.report.files)}`);
    }
    if (plan.table !== reference.table) found.push('table');
    if (JSON.stringify(plan.quarantine) !== JSON.stringify(reference.quarantine)) found.push('quarantine');
    return found;
  } finally {
    rmSync(lake, { recursive: true, force: true });
  }
}

const row = (session: string, end = '2025-03-10T10:30:00Z'): string =>
  `${session},U001,C01,2025-03-10T10:00:00Z,${end}`;
const header = 'session_id,user_id,content_id,start_time,end_time';
/** `count` more fields, `x1,x2,...`. */
const extra = (count: number): string => Array.from({ length: count }, (_, i) => `x${i + 1}`).join(',');

/**
 * Where the DuckDB rendering of the plan reads JSON otherwise than the contract (JSON.parse does):
 * yyjson refuses a lone surrogate escape, keeps the first of a repeated key, and reads a `.json`
 * file of JSON Lines led by white space as one value. Known defects of `@streampulse/contract-sql`'s
 * DuckDB dialect; these cases fail (it.fails) until it is fixed, and then must be moved out.
 */
const KNOWN_DIFFERENCES = new Set([
  'a .json file of JSON Lines whose first record has white space before it',
  'a lone surrogate written as an escape in a JSON value',
  'golden files mutated at random (seed 13)',
]);
const agreesOn = (name: string) => (KNOWN_DIFFERENCES.has(name) ? it.fails : it);

describe('the ETL on the compiled plan against the default engine', () => {
  const cases: readonly (readonly [string, Record<string, string | Uint8Array>])[] = [
    [
      'a U+FEFF inside a CSV field, past the file start',
      { 'raw/playback/bom.csv': `${header}\n${row('b1')}\n${row('b2', '\uFEFF2026-01-01T05:00:00Z')}\n` },
    ],
    [
      'a .json file of JSON Lines whose first record has white space before it',
      { 'raw/playback/lead.json': ' "' },
    ],
    [
      'a lone surrogate written as an escape in a JSON value',
      {
        'raw/playback/surrogate.jsonl':
          '{"session_id":"j1","user_id":"U001","content_id":"C01","start_time":"2025-03-10T10:00:00Z","end_time":"2025-03-10T10:30:00Z","cdn":"\\ud800"}\n' +
          '{"session_id":"j2\\udfff","user_id":"U001","content_id":"C01","start_time":"2025-03-10T10:00:00Z","end_time":"2025-03-10T10:30:00Z"}\n',
      },
    ],
    [
      'a quote inside an unquoted header field and another left open (an even count)',
      {
        'raw/playback/stray.tsv.gz': gzipSync(
          'session_id\tuser_id\tc"ontent_id\tstart_time\tend_time\nQ3\t7\tE1\t2025-03-10T10:00:00Z\t"2025-',
        ),
      },
    ],
    [
      'headers of 32 and 40 fields, past the narrow header probe',
      {
        'raw/playback/wide32.csv': `${header},${extra(27)}\n${row('w1')},${extra(27)}\n${row('w2')}\n`,
        'raw/playback/wide40.csv': `${header},${extra(35)}\n${row('w3')},${extra(35)}\n${row('w4')},${extra(37)}\n`,
      },
    ],
    [
      'a row of 40 fields among the first rows of a narrow file',
      { 'raw/playback/ragged.csv': `${header}\n${row('r1')}\n${row('r2')},${extra(35)}\n${row('r3')}\n` },
    ],
  ] as const;
  for (const [name, files] of cases) {
    agreesOn(name)(`agrees on ${name}`, async () => {
      expect(await differences(files)).toEqual([]);
    });
  }

  /** The golden cases' own data files under `prefix`, in a fixed order (the project's copies or ../shared's). */
  const readable = (prefix: string): string[] =>
    goldenCases()
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((c) => (existsSync(join(c.lakeDir, prefix)) ? filesUnder(join(c.lakeDir, prefix)) : []))
      .filter((path) => /\.(csv|tsv|jsonl|json)$/i.test(path))
      .sort();
  const sources = readable(LAKE_LAYOUT.playback);
  const TOKENS = [
    '"',
    ',',
    '\n',
    '\r\n',
    '\r',
    ' "',
    '" ',
    '\t',
    '\uFEFF',
    '{',
    '}',
    '[',
    ']',
    ',}',
    'NaN',
    '\\ud800',
    '""',
    '\n\n',
    '   \n',
    '\u00a0',
    'é',
    '\\"',
    ':',
    'null',
  ];

  const dimensionSources = {
    content: readable(LAKE_LAYOUT.contentMetadata),
    users: readable(LAKE_LAYOUT.userProfiles),
  };

  for (const seed of [11, 12, 13]) {
    agreesOn(`golden files mutated at random (seed ${seed})`)(
      `agrees on golden files mutated at random (seed ${seed})`,
      async () => {
        const { random, pick, mutate: edit } = seededMutation(seed);
        const mutate = (text: string): string => edit(text, TOKENS);
        const files: Record<string, string | Uint8Array> = {};
        const add = (prefix: string, name: string, source: string): void => {
          const extension = source.slice(source.lastIndexOf('.')).toLowerCase();
          const text = mutate(readFileSync(source, 'utf8'));
          const gzip = random() < 0.3;
          files[`${prefix}${name}${extension}${gzip ? '.gz' : ''}`] = gzip ? gzipSync(text) : text;
        };
        for (let i = 0; i < 6; i++) add(LAKE_LAYOUT.playback, `f${i}`, pick(sources));
        // A mutated dimension file beside the good ones: a later file's rows win for an id.
        add(LAKE_LAYOUT.contentMetadata, 'zz-mutated', pick(dimensionSources.content));
        add(LAKE_LAYOUT.userProfiles, 'zz-mutated', pick(dimensionSources.users));
        expect(await differences(files)).toEqual([]);
      },
    );
  }
});
