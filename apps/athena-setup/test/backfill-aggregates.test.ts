import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { openLake, type Lake } from '@streampulse/lake';
import { compileAthenaAggregateUnloads } from '@streampulse/contract-sql';
import { startS3, type TestS3 } from '@streampulse/test-servers';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { daysFromTo } from '../src/backfill-aggregates.js';
import { main } from '../src/index.js';
import { captured, fakeClock } from './support.js';

const athena = mockClient(AthenaClient);
let s3: TestS3;
let bucket = 0;
let lakeRoot: string;
let lake: Lake;

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(() => s3.stop());
afterEach(() => athena.reset());

const OLD_OBJECTS = [
  'analytics/daily_aggregates/year=2025/month=03/day=14/part-0.parquet',
  'analytics/daily_aggregates/year=2025/month=03/day=14/part-0.csv',
  'analytics/daily_active_users/year=2025/month=03/day=14/part-0.parquet',
  'analytics/daily_aggregates/year=2025/month=03/day=15/20250315_unload_00000',
];
const UNTOUCHED = [
  'analytics/daily_aggregates/year=2025/month=03/day=13/part-0.parquet',
  'analytics/daily_aggregates/year=2025/month=03/day=16/part-0.parquet',
  'raw/playback/2025-03-14.csv',
];

beforeEach(async () => {
  const name = `lake-${++bucket}`;
  await s3.createBucket(name);
  lakeRoot = `s3://${name}/prod`;
  lake = openLake(lakeRoot, { env: s3.env });
  for (const key of [...OLD_OBJECTS, ...UNTOUCHED]) await lake.write(key, 'x');
});

async function keys(prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for await (const object of lake.list(prefix)) found.push(object.key);
  return found.sort();
}

async function run(args: string[]) {
  const stdout = captured();
  const stderr = captured();
  const code = await main(['backfill-aggregates', '--lake', lakeRoot, ...args], {
    stdout,
    stderr,
    clock: fakeClock(),
    env: s3.env,
    athena: () => new AthenaClient({ region: 'us-east-1' }),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const processedTable = 'pg.processed.processed_data';
const range = ['--processed-table', processedTable, '--from', '2025-03-14', '--to', '2025-03-15'];

describe('athena-setup backfill-aggregates', () => {
  it("empties each day's partitions, then unloads both tables into them, day after day", async () => {
    const objectsWhenStarted: string[][] = [];
    let n = 0;
    athena.on(StartQueryExecutionCommand).callsFake(async (input: { QueryString: string }) => {
      const target = /TO 's3:\/\/[^/]+\/prod\/([^']+)'/.exec(input.QueryString)?.[1] ?? '';
      objectsWhenStarted.push(await keys(target));
      return { QueryExecutionId: `q${++n}` };
    });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });

    const result = await run([...range, '--workgroup', 'analytics']);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      '2025-03-14: cleared 3 old objects; unloaded daily_engagement (query q1), daily_active_users (query q2)\n' +
        '2025-03-15: cleared 1 old object; unloaded daily_engagement (query q3), daily_active_users (query q4)\n' +
        'done: 2 day(s) backfilled in workgroup analytics\n',
    );
    const sent = athena.commandCalls(StartQueryExecutionCommand).map((call) => call.args[0].input);
    expect(sent.map((input) => input.QueryString)).toEqual(
      compileAthenaAggregateUnloads({ lakeRoot, processedTable, days: ['2025-03-14', '2025-03-15'] }).map(
        (u) => u.sql,
      ),
    );
    expect(sent.every((input) => input.WorkGroup === 'analytics')).toBe(true);
    expect(objectsWhenStarted).toEqual([[], [], [], []]);
    expect(await keys()).toEqual([...UNTOUCHED].sort());
  });

  it('stops at a failed UNLOAD, naming the day it left incomplete; the days before it are done', async () => {
    let n = 0;
    athena.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `q${++n}` }));
    athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => ({
      QueryExecution: {
        Status:
          input.QueryExecutionId === 'q3'
            ? { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: pg.processed.processed_data' }
            : { State: 'SUCCEEDED' },
      },
    }));

    const result = await run([...range, '--to', '2025-03-16', '--workgroup', 'analytics']);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      '2025-03-14: cleared 3 old objects; unloaded daily_engagement (query q1), daily_active_users (query q2)\n',
    );
    expect(result.stderr).toBe(
      'athena-setup backfill-aggregates: 2025-03-15 is incomplete (rerun to replace it; 1 later day(s) not started): ' +
        'daily_engagement 2025-03-15 FAILED: TABLE_NOT_FOUND: pg.processed.processed_data (query q3)\n',
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(3);
    expect(await keys('analytics/daily_aggregates/year=2025/month=03/day=16/')).toHaveLength(1);
  });

  it('with --concurrency runs days side by side, each day still emptied before its UNLOADs', async () => {
    const objectsWhenStarted: string[][] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    let n = 0;
    athena.on(StartQueryExecutionCommand).callsFake(async (input: { QueryString: string }) => {
      const target = /TO 's3:\/\/[^/]+\/prod\/([^']+)'/.exec(input.QueryString)?.[1] ?? '';
      objectsWhenStarted.push(await keys(target));
      return { QueryExecutionId: `q${++n}` };
    });
    athena.on(GetQueryExecutionCommand).callsFake(async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      // Until two days have met here once, a query answers only when another is in flight too
      // (or after a second, which run one day at a time would take, failing the count below).
      for (let waited = 0; mostInFlight < 2 && waited < 1000; waited += 5) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      inFlight -= 1;
      return { QueryExecution: { Status: { State: 'SUCCEEDED' } } };
    });

    const result = await run([
      ...range,
      '--to',
      '2025-03-17',
      '--concurrency',
      '2',
      '--workgroup',
      'analytics',
    ]);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    const dayLines = result.stdout.split('\n').filter((line) => /^2025-03-1\d: /.test(line));
    expect(dayLines.map((line) => line.slice(0, 10)).sort()).toEqual([
      '2025-03-14',
      '2025-03-15',
      '2025-03-16',
      '2025-03-17',
    ]);
    expect(result.stdout).toMatch(/done: 4 day\(s\) backfilled in workgroup analytics\n$/);
    expect(mostInFlight).toBe(2);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(8);
    expect(objectsWhenStarted).toEqual(Array.from({ length: 8 }, () => []));
    expect(await keys()).toEqual(UNTOUCHED.filter((k) => !k.includes('day=16')).sort());
  });

  it('with --concurrency names every day a failure left incomplete, and starts no further day', async () => {
    let n = 0;
    athena.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `q${++n}` }));
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'ACCESS_DENIED' } },
    });

    const result = await run([...range, '--to', '2025-03-20', '--concurrency', '2', '--workgroup', 'w']);

    expect(result.code).toBe(1);
    // Which day's first UNLOAD reached Athena first depends on the S3 deletes: the id may be q1 or q2.
    expect(result.stderr).toMatch(
      /^athena-setup backfill-aggregates: 2025-03-14, 2025-03-15 are incomplete \(rerun to replace them; 5 later day\(s\) not started\): daily_engagement 2025-03-14 FAILED: ACCESS_DENIED \(query q[12]\)\n$/,
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(2);
  });

  it('with --dry-run prints what it would clear and run, and touches neither S3 nor Athena', async () => {
    const result = await run([...range, '--dry-run']);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [first] = compileAthenaAggregateUnloads({ lakeRoot, processedTable, days: ['2025-03-14'] });
    expect(result.stdout).toContain(
      `-- daily_engagement 2025-03-14: clear ${lakeRoot}/analytics/daily_aggregates/year=2025/month=03/day=14/\n${first?.sql};\n`,
    );
    expect(result.stdout.match(/^UNLOAD /gm)).toHaveLength(4);
    expect(result.stdout).toMatch(/dry run: 2 day\(s\), nothing cleared or run\n$/);
    expect(athena.calls()).toHaveLength(0);
    expect(await keys()).toEqual([...OLD_OBJECTS, ...UNTOUCHED].sort());
  });

  it.each([
    [['--from', '2025-03-14', '--workgroup', 'w'], '--processed-table is required (see --help)'],
    [['--processed-table', processedTable, '--workgroup', 'w'], '--from is required (see --help)'],
    [
      ['--processed-table', processedTable, '--from', '2025-02-30', '--workgroup', 'w'],
      '--from must be a date as YYYY-MM-DD, got "2025-02-30"',
    ],
    [
      ['--processed-table', processedTable, '--from', '2025-03-15', '--to', '2025-03-14', '--workgroup', 'w'],
      '--from 2025-03-15 is after --to 2025-03-14',
    ],
    [[...range], '--workgroup is required (see --help)'],
    [
      [...range, '--workgroup', 'w', '--concurrency', '0'],
      '--concurrency must be a whole number of days, 1 or more, got "0"',
    ],
    [
      ['--processed-table', 'processed_data; DROP TABLE x', '--from', '2025-03-14', '--workgroup', 'w'],
      'processed table "processed_data; DROP TABLE x" must be [catalog.][schema.]table, each part a plain name or "quoted"',
    ],
  ])('refuses %j in one line, exit 1, before touching anything', async (args, message) => {
    const result = await run(args);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`athena-setup backfill-aggregates: ${message}\n`);
    expect(athena.calls()).toHaveLength(0);
    expect(await keys()).toHaveLength(OLD_OBJECTS.length + UNTOUCHED.length);
  });
});

describe('daysFromTo', () => {
  it('counts both ends, across a leap day and a year end', () => {
    expect(daysFromTo('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(daysFromTo('2025-12-31', '2026-01-01')).toEqual(['2025-12-31', '2026-01-01']);
    expect(daysFromTo('2025-03-14', '2025-03-14')).toEqual(['2025-03-14']);
  });
});
