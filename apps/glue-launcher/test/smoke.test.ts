import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Lake, LakeObject } from '@streampulse/lake';
import type { AggregateTable } from '@streampulse/schema';
import type { JobPlan } from '@streampulse/contract-sql';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import {
  caseJobFiles,
  compareCase,
  compareCsv,
  formatSmokeTable,
  readSmokeCase,
  runSmoke,
  type SmokeSource,
} from '../src/cloud.js';
import { type JobLauncher, type JobRunState, type StartJobRunRequest } from '@streampulse/glue';
import { captured } from './support.js';

const fixtures = resolve(import.meta.dirname, '..', '..', '..', 'packages', 'testing', 'golden', 'fixtures');
const basic = join(fixtures, 'basic');
const dst = join(fixtures, 'dst');

/** Objects written to any lake root, by full URL. */
function memoryLakes() {
  const objects = new Map<string, Buffer>();
  const lakeFor = (root: string): Lake => {
    const url = (key: string) => `${root}/${key}`;
    const info = (key: string): LakeObject => ({ key, size: objects.get(url(key))?.length ?? 0, etag: 'e' });
    return {
      root,
      write: async (key, body) => {
        objects.set(url(key), typeof body === 'string' ? Buffer.from(body) : Buffer.from(body as Uint8Array));
        return info(key);
      },
      stat: async (key) => (objects.has(url(key)) ? info(key) : undefined),
      read: async (key) => {
        const bytes = objects.get(url(key));
        if (!bytes) throw new Error(`no ${url(key)}`);
        return (async function* () {
          yield bytes;
        })();
      },
      list: async function* (prefix) {
        const folder = url(prefix.endsWith('/') ? prefix : `${prefix}/`);
        for (const key of [...objects.keys()].sort()) {
          if (key.startsWith(folder)) yield info(key.slice(root.length + 1));
        }
      },
      delete: async () => undefined,
      deletePrefix: async () => 0,
      materialize: async () => root,
    };
  };
  const text = (url: string) => objects.get(url)?.toString('utf8') ?? '';
  return { objects, lakeFor, text };
}

/** A launcher that records what it was asked to run and answers with the given state. */
function fakeLauncher(stateOf: (request: StartJobRunRequest) => JobRunState = () => 'SUCCEEDED') {
  const started: StartJobRunRequest[] = [];
  const launcher: JobLauncher = {
    backend: 'glue',
    start: async (request) => {
      started.push(request);
      return { jobName: request.jobName, runId: `jr_${started.length}` };
    },
    status: async () => {
      throw new Error('unused');
    },
    wait: async (run) => {
      const request = started[Number(run.runId.slice(3)) - 1] as StartJobRunRequest;
      const state = stateOf(request);
      return { ...run, state, ...(state === 'SUCCEEDED' ? {} : { errorMessage: 'boom' }) };
    },
  };
  return { launcher, started };
}

/** A source holding exactly a case's expected files, with optional edits. */
function expectedSource(
  dir: string,
  edit: (text: string, what: string) => string = (t) => t,
): SmokeSource & { resets: number } {
  const read = (...parts: string[]) => readFileSync(join(dir, 'expected', ...parts), 'utf8');
  const source = {
    resets: 0,
    reset: async () => {
      source.resets += 1;
    },
    processedCsv: async () => edit(read('processed_data.csv'), 'processed_data'),
    aggregateCsv: async (_root: string, table: AggregateTable, day: string) =>
      edit(read(table, `${day}.csv`), `${table} ${day}`),
    changedDays: async () => readSmokeCase(dir).days,
    rejectedReasons: async () =>
      Object.entries(readSmokeCase(dir).rejectedByReason).flatMap(([reason, n]) =>
        Array.from({ length: n }, () => reason),
      ),
    close: async () => undefined,
  };
  return source;
}

const jobs = { etlJob: 'streampulse-etl', aggregateJob: 'streampulse-aggregate' };
const jdbc = {
  '--jdbc_url': 'jdbc:postgresql://db:5432/scratch',
  '--jdbc_user': 'u',
  '--jdbc_password': 'p',
};

describe('reading a golden case', () => {
  it('plans the data files with their headers and leaves skipped files out', () => {
    const files = caseJobFiles(readSmokeCase(basic));
    const keys = files.map((f) => f.key);
    expect(keys).not.toContain('raw/playback/dt=2025-03-16/notes.txt');
    expect(keys).not.toContain('raw/playback/_SUCCESS');
    expect(files.filter((f) => f.dataset === 'playback').map((f) => f.key)).toEqual([
      'raw/playback/dt=2025-03-10/part-0001.csv',
      'raw/playback/dt=2025-03-11/part-0002.csv.gz',
      'raw/playback/dt=2025-03-12/events.jsonl',
      'raw/playback/dt=2025-03-13/events.json',
      'raw/playback/dt=2025-03-14/part-0005.tsv',
      'raw/playback/dt=2025-03-15/bad-rows.csv',
      'raw/playback/dt=2025-03-16/truncated.csv.gz',
      'raw/playback/dt=2025-03-16/zz-duplicates.jsonl',
    ]);
    const byKey = new Map(files.map((f) => [f.key, f]));
    // Headers as written (aliases and all): the plan folds them.
    expect(byKey.get('raw/playback/dt=2025-03-11/part-0002.csv.gz')?.header?.slice(0, 2)).toEqual([
      'Playback ID',
      'Viewer ID',
    ]);
    expect(byKey.get('raw/playback/dt=2025-03-16/truncated.csv.gz')?.header?.length).toBeGreaterThan(1);
    expect(byKey.get('raw/playback/dt=2025-03-14/part-0005.tsv')?.format).toBe('tsv');
    expect(byKey.get('raw/user_profiles/users_part2.json')?.dataset).toBe('users');
  });
});

describe('comparing with expected/ (real golden files)', () => {
  it('passes every check when the results equal the expected files', async () => {
    const checks = await compareCase(expectedSource(basic), readSmokeCase(basic), 's3://b/smoke/x/basic');
    expect(checks).toHaveLength(3 + 2 * readSmokeCase(basic).days.length);
    expect(checks.every((c) => c.ok)).toBe(true);
  });

  it('fails the changed-days check when the ETL runs did not record an expected day, naming it', async () => {
    const smokeCase = readSmokeCase(basic);
    const [first, ...rest] = smokeCase.days;
    const source = { ...expectedSource(basic), changedDays: async () => rest };
    const checks = await compareCase(source, smokeCase, 's3://b');
    expect(checks.filter((c) => !c.ok)).toEqual([
      { case: 'basic', check: 'changed days', ok: false, detail: `not recorded: ${first}` },
    ]);
  });

  it('fails the rejected-rows check when a reason has another count, naming both counts', async () => {
    const smokeCase = readSmokeCase(basic);
    const reasons = await expectedSource(basic).rejectedReasons('s3://b');
    expect(reasons.length).toBeGreaterThan(1);
    const source = { ...expectedSource(basic), rejectedReasons: async () => [...reasons.slice(1), 'bogus'] };
    const checks = await compareCase(source, smokeCase, 's3://b');
    const failed = checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.check)).toEqual(['rejected rows']);
    const first = reasons[0] ?? '';
    const want = smokeCase.rejectedByReason[first] ?? 0;
    expect(failed[0]?.detail).toContain('bogus: expected 0, got 1');
    expect(failed[0]?.detail).toContain(`${first}: expected ${want}, got ${want - 1}`);
  });

  it('names the first differing line of a changed row', async () => {
    const source = expectedSource(basic, (text, what) =>
      what === 'processed_data' ? text.replace('Renamed C0074', 'Renamed c0074') : text,
    );
    const checks = await compareCase(source, readSmokeCase(basic), 's3://b');
    const failed = checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.check)).toEqual(['processed_data']);
    expect(failed[0]?.detail).toMatch(
      /^line 2: expected "S000000,.*Renamed C0074.*", got ".*Renamed c0074.*" \(\d+ lines each\)$/,
    );
  });

  it('fails a missing aggregate object unless the expected file holds only a header', async () => {
    const smokeCase = readSmokeCase(basic);
    const source = { ...expectedSource(basic), aggregateCsv: async () => undefined };
    const checks = await compareCase(source, smokeCase, 's3://b');
    const aggregate = checks.filter((c) => /^daily_/.test(c.check));
    expect(aggregate.some((c) => !c.ok && c.detail === 'object missing')).toBe(true);
  });

  it('compareCsv reports a missing last line', () => {
    expect(compareCsv('a\n1\n2\n', 'a\n1\n')).toBe('line 3: expected "2", got "" (4 lines expected, 3 got)');
  });
});

describe('runSmoke orchestration', () => {
  it('uploads raw/**, runs ETL per playback file then aggregation per day, each with its plan', async () => {
    const { objects, lakeFor, text } = memoryLakes();
    const { launcher, started } = fakeLauncher();
    const source = expectedSource(basic);
    const checks = await runSmoke(
      { launcher, lakeFor, source },
      { lakeRoot: 's3://bucket/pre/', runId: 'r1', cases: [basic], ...jobs, jobArguments: jdbc },
    );
    const root = 's3://bucket/pre/smoke/r1/basic';
    const smokeCase = readSmokeCase(basic);
    for (const key of smokeCase.rawKeys) expect(objects.has(`${root}/${key}`)).toBe(true);
    expect(source.resets).toBe(1);

    const etlRuns = started.filter((r) => r.jobName === 'streampulse-etl');
    const aggregateRuns = started.filter((r) => r.jobName === 'streampulse-aggregate');
    expect(etlRuns).toHaveLength(8);
    expect(aggregateRuns).toHaveLength(smokeCase.days.length);
    // Every ETL run before any aggregation.
    expect(started.findIndex((r) => r.jobName === 'streampulse-aggregate')).toBe(8);
    // Planned as the trigger plans: content-addressed under scripts/glue/runs/<job>/.
    const planPathOf = (request: StartJobRunRequest | undefined) => request?.arguments['--plan_path'] ?? '';
    expect(etlRuns[0]?.arguments).toEqual({
      ...jdbc,
      '--plan_path': expect.stringMatching(
        new RegExp(`^${root}/scripts/glue/runs/streampulse-etl/[0-9a-f]{64}\\.json$`),
      ),
    });

    const plan = JSON.parse(text(planPathOf(etlRuns[1]))) as JobPlan;
    expect(plan.dialect).toBe('spark');
    expect(plan.outputs.find((o) => o.view === 'changed_days')).toEqual({
      kind: 'json',
      view: 'changed_days',
      path: `${root}/state/changed-days/dt=2025-03-11/part-0002.csv.gz/`,
    });
    const paths = plan.inputs.map((i) => ('path' in i ? i.path : ''));
    expect(paths).toContain(`${root}/raw/playback/dt=2025-03-11/part-0002.csv.gz`);
    expect(paths.filter((p) => p.includes('/raw/playback/'))).toHaveLength(1);
    expect(paths.filter((p) => p.includes('/raw/content_metadata/')).length).toBeGreaterThan(0);

    const aggregatePlan = JSON.parse(text(planPathOf(aggregateRuns[0]))) as JobPlan;
    expect(aggregatePlan.outputs.map((o) => ('path' in o ? o.path : ''))[0]).toMatch(
      new RegExp(`^${root}/analytics/`),
    );
    // The truncated file is one the contract fails: its run's outcome is noted, not failed.
    expect(checks.find((c) => c.check === 'etl raw/playback/dt=2025-03-16/truncated.csv.gz')?.ok).toBe(true);
    expect(checks.every((c) => c.ok)).toBe(true);
  });

  it('a failed run is a failed check, and the case still gets compared', async () => {
    const { lakeFor } = memoryLakes();
    const { launcher } = fakeLauncher((r) =>
      r.jobName === 'streampulse-aggregate' ? 'FAILED' : 'SUCCEEDED',
    );
    const checks = await runSmoke(
      { launcher, lakeFor, source: expectedSource(dst) },
      { lakeRoot: 's3://bucket', runId: 'r2', cases: [dst], ...jobs, jobArguments: jdbc },
    );
    const failed = checks.filter((c) => !c.ok);
    expect(failed.length).toBe(readSmokeCase(dst).days.length);
    expect(failed[0]?.detail).toBe('FAILED: boom');
    expect(checks.some((c) => c.check === 'processed_data' && c.ok)).toBe(true);
    expect(formatSmokeTable(checks)).toContain(`${failed.length} of ${checks.length} checks failed`);
  });
});

describe('glue-launcher smoke', () => {
  const run = async (argv: string[], source: SmokeSource, launcher: JobLauncher) => {
    const stdout = captured();
    const stderr = captured();
    const { lakeFor } = memoryLakes();
    const code = await main(['smoke', ...argv], {
      env: {},
      stdout,
      stderr,
      lake: lakeFor,
      launcher,
      smokeSource: async () => source,
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };

  it('passes the database as JDBC arguments and exits 0 when every check passes', async () => {
    const { launcher, started } = fakeLauncher();
    const result = await run(
      [
        '--lake',
        's3://bucket',
        '--database-url',
        'postgres://me:s%40cret@db.example:5432/scratch',
        '--case',
        dst,
      ],
      expectedSource(dst),
      launcher,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/all \d+ checks passed/);
    expect(started[0]?.arguments).toMatchObject({
      '--jdbc_url': 'jdbc:postgresql://db.example:5432/scratch',
      '--jdbc_user': 'me',
      '--jdbc_password': 's@cret',
    });
  });

  it('exits 1 on a difference', async () => {
    const { launcher } = fakeLauncher();
    const source = expectedSource(dst, (t, what) => (what === 'processed_data' ? `${t}extra\n` : t));
    const result = await run(
      ['--lake', 's3://bucket', '--database-url', 'postgres://u:p@h/d', '--case', dst],
      source,
      launcher,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/dst\s+processed_data\s+FAIL line/);
  });

  it('needs a database URL', async () => {
    const { launcher } = fakeLauncher();
    const result = await run(['--lake', 's3://bucket', '--case', dst], expectedSource(dst), launcher);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--database-url is required');
  });
});
