import { ConcurrentRunsExceededException, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { readEtlTriggerConfig } from '@streampulse/etl-trigger';
import { GlueJobLauncher } from '@streampulse/glue';
import { createEtlTriggerHandler, type S3Event } from '@streampulse/triggers';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import { dumpProcessedCsv } from '@streampulse/warehouse';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bySize,
  makeLake,
  PLAYBACK_HEADER,
  recordFigure,
  startCommand,
  streampulse,
  STREAMPULSE_BIN,
} from '../src/index.js';
import { silentLogger } from '@streampulse/logging';

afterAll(stopTestServer);

/**
 * File k of the overlapping set: sessions k*half .. k*half + 2*half, so each shares half its
 * sessions with the next file; its rows end k minutes later than file k-1's, so the latest
 * end_time, not the order of the runs, decides every shared session.
 */
function overlappingFile(k: number, half: number): string {
  const base = Date.parse('2025-03-10T00:00:00Z');
  const lines = [PLAYBACK_HEADER];
  for (let i = k * half; i < k * half + 2 * half; i += 1) {
    const start = base + i * 1000;
    lines.push(
      `S${i},U${i % 7},C${i % 5},Roku,${new Date(start).toISOString()},${new Date(start + 600_000 + k * 60_000).toISOString()}`,
    );
  }
  return lines.join('\n') + '\n';
}

describe('load', () => {
  it('leaves the table of one sequential run after 8 concurrent etl runs over overlapping lakes', async () => {
    const half = bySize(500, 25_000);
    const files = Array.from({ length: 10 }, (_, k) => overlappingFile(k, half));
    const key = (k: number) => `raw/playback/dt=2025-03-10/part-${String(k).padStart(2, '0')}.csv`;
    const all = makeLake(Object.fromEntries(files.map((text, k) => [key(k), text])));
    const lakes = Array.from({ length: 8 }, (_, i) =>
      makeLake(Object.fromEntries([i, i + 1, i + 2].map((k) => [key(k), files[k] ?? '']))),
    );
    const sequentialDb = await createTestDatabase('rel_seq');
    const concurrentDb = await createTestDatabase('rel_conc');
    try {
      const sequential = await streampulse(['etl', '--lake', all, '--database-url', sequentialDb.url]);
      expect(sequential.code, sequential.stderr).toBe(0);
      const started = performance.now();
      const runs = await Promise.all(
        lakes.map(
          (lake) =>
            startCommand(STREAMPULSE_BIN, [
              'etl',
              '--lake',
              lake,
              '--database-url',
              concurrentDb.url,
              '--json',
            ]).done,
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      const expected = await dumpProcessedCsv(sequentialDb.pool);
      expect(await dumpProcessedCsv(concurrentDb.pool)).toBe(expected);
      const rows = expected.trim().split('\n').length - 1;
      expect(rows).toBe(11 * half);
      recordFigure(`8 concurrent etl runs, 3 of 10 overlapping files each (${2 * half} rows a file)`, {
        peakRssMb: Math.max(...runs.map((run) => run.peakRssMb ?? 0)),
        seconds,
        rows,
        note: `sequential run ${sequential.seconds.toFixed(1)} s; peak RSS is the largest of the 8`,
      });
    } finally {
      await sequentialDb.drop();
      await concurrentDb.drop();
    }
  });

  it('starts every one of 200 files exactly once when 200 events arrive at once and Glue allows one run', async () => {
    const glue = mockClient(GlueClient);
    const started = new Map<string, number>();
    let running = false;
    let refused = 0;
    glue.on(StartJobRunCommand).callsFake(async (input: { Arguments?: Record<string, string> }) => {
      if (running) {
        refused += 1;
        throw new ConcurrentRunsExceededException({ message: 'Concurrent runs exceeded', $metadata: {} });
      }
      running = true;
      // The run holds Glue's one slot for a moment, as a short job would.
      setTimeout(() => (running = false), 5);
      const plan = input.Arguments?.['--plan_path'] ?? '';
      started.set(plan, (started.get(plan) ?? 0) + 1);
      return { JobRunId: `jr_${started.size}` };
    });
    try {
      const handler = createEtlTriggerHandler({
        launcher: new GlueJobLauncher(new GlueClient({ region: 'us-east-1' })),
        config: readEtlTriggerConfig({ ETL_JOB_NAME: 'streampulse-etl' }),
        logger: silentLogger,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
        planRun: async (object) => `plan-for:${object.inputPath}`,
      });
      const keys = Array.from({ length: 200 }, (_, i) => `raw/playback/dt=2025-03-10/file-${i}.csv`);
      const event = (key: string): S3Event => ({
        Records: [
          {
            eventVersion: '2.1',
            eventSource: 'aws:s3',
            awsRegion: 'us-east-1',
            eventTime: '2025-03-10T00:00:00.000Z',
            eventName: 'ObjectCreated:Put',
            s3: {
              s3SchemaVersion: '1.0',
              bucket: { name: 'lake', arn: 'arn:aws:s3:::lake' },
              object: { key, size: 100 },
            },
          } as unknown as NonNullable<S3Event['Records']>[number],
        ],
      });
      const t0 = performance.now();
      // Lambda's asynchronous invocation: an invocation that throws is retried twice, then the
      // event goes to the on-failure destination (here: `dropped`).
      const dropped: string[] = [];
      const errors = new Set<string>();
      let invocations = 0;
      await Promise.all(
        keys.map(async (key) => {
          for (let attempt = 0; attempt < 3; attempt += 1) {
            invocations += 1;
            const deadline = Date.now() + 30_000;
            try {
              await handler(event(key), { getRemainingTimeInMillis: () => deadline - Date.now() });
              return;
            } catch (error) {
              // Retried by Lambda.
              errors.add(error instanceof Error ? error.message : String(error));
            }
          }
          dropped.push(key);
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      recordFigure('200 S3 events at once, Glue allowing one concurrent run', {
        seconds,
        rows: started.size,
        note: `${invocations} invocations, ${refused} ConcurrentRunsExceeded answers, ${dropped.length} events to the on-failure destination`,
      });
      expect([...errors].slice(0, 3)).toEqual([]);
      expect(dropped).toEqual([]);
      expect(started.size).toBe(200);
      expect([...started.values()].every((n) => n === 1)).toBe(true);
      expect([...started.keys()].sort()).toEqual(keys.map((key) => `plan-for:s3://lake/${key}`).sort());
    } finally {
      glue.restore();
    }
  });
});
