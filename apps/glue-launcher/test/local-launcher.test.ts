import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openLake } from '@streampulse/lake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalJobLauncher } from '../src/local/index.js';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import { PLAYBACK_CSV, smallLake } from './lake.js';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
  await stopTestServer();
});

describe('LocalJobLauncher', () => {
  it('runs the ETL job for --input_path, then the aggregation job for --run_date, against the lake and database', async () => {
    const root = smallLake({ 'raw/playback/dt=2025-03-10/my file.csv': PLAYBACK_CSV });
    let id = 0;
    const launcher = new LocalJobLauncher({
      lake: openLake(root),
      env: {},
      databaseUrl: db.url,
      newRunId: () => `jr_test_${(id += 1)}`,
    });
    const etl = await launcher.start({
      jobName: 'streampulse-etl',
      arguments: { '--input_path': 's3://streampulse-local/raw/playback/dt=2025-03-10/my file.csv' },
    });
    expect(etl).toEqual({ jobName: 'streampulse-etl', runId: 'jr_test_1' });
    const done = await launcher.wait(etl);
    expect(done).toMatchObject({
      state: 'SUCCEEDED',
      report: { rows_read: 3, rows_loaded: 2, rows_rejected: 1 },
    });
    const rows = await db.pool.query<{ session_id: string; region: string }>(
      'SELECT session_id, region FROM processed.processed_data ORDER BY session_id',
    );
    expect(rows.rows).toEqual([
      { session_id: 's1', region: 'North' },
      { session_id: 's2', region: 'South' },
    ]);

    const again = await launcher.wait(
      await launcher.start({
        jobName: 'streampulse-etl',
        arguments: { '--input_path': 's3://streampulse-local/raw/playback/dt=2025-03-10/my file.csv' },
      }),
    );
    expect(again).toMatchObject({ state: 'SUCCEEDED', report: { files: [{ status: 'unchanged' }] } });

    const aggregate = await launcher.wait(
      await launcher.start({
        jobName: 'streampulse-aggregate',
        arguments: {
          '--run_date': '2025-03-11',
          '--lookback_days': '1',
          '--format': 'csv',
          '--output_path': 's3://streampulse-local/analytics/daily_aggregates/',
          '--secret_arn': 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:streampulse-db',
        },
      }),
    );
    expect(aggregate.state).toBe('SUCCEEDED');
    expect((aggregate.report as { days: { day: string }[] }).days.map((d) => d.day)).toEqual([
      '2025-03-10',
      '2025-03-11',
    ]);
    expect(existsSync(join(root, 'analytics/daily_aggregates/year=2025/month=03/day=10/part-0.csv'))).toBe(
      true,
    );
  });

  it('ends a run FAILED with the reason when its input is not in the lake', async () => {
    const launcher = new LocalJobLauncher({ lake: openLake(smallLake()), env: {}, databaseUrl: db.url });
    const run = await launcher.start({
      jobName: 'etl',
      arguments: { '--input_path': 's3://b/raw/playback/missing.csv' },
    });
    const status = await launcher.wait(run);
    expect(status.state).toBe('FAILED');
    expect(status.errorMessage).toMatch(/raw\/playback\/missing.csv not found/);
    expect(typeof status.durationSeconds).toBe('number');
  });

  it('rejects bad arguments at start, as Glue does, and knows no runs of other processes', async () => {
    const launcher = new LocalJobLauncher({ lake: openLake(smallLake()), env: {}, databaseUrl: db.url });
    await expect(
      launcher.start({ jobName: 'agg', arguments: { '--run_date': 'yesterday' } }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(launcher.status({ jobName: 'agg', runId: 'jr_elsewhere' })).rejects.toMatchObject({
      code: 'run_not_found',
    });
  });
});
