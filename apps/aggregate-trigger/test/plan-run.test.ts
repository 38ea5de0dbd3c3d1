import { GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { GlueJobLauncher, RunPlanError } from '@streampulse/glue';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandler, readAggregateTriggerConfig, type AggregateTriggerDeps } from '../src/index.js';
import { ENV, scheduledEvent } from './events.js';
import { silentLogger } from '@streampulse/logging';

const glue = mockClient(GlueClient);
afterEach(() => glue.reset());

const context = { getRemainingTimeInMillis: () => 30_000 };

function setup(planRun: AggregateTriggerDeps['planRun'], env: Record<string, string> = {}) {
  return createHandler({
    launcher: new GlueJobLauncher(new GlueClient({ region: 'ap-south-1' })),
    config: readAggregateTriggerConfig({ ...ENV, LOOKBACK_DAYS: '2', ...env }),
    logger: silentLogger,
    sleep: async () => undefined,
    random: () => 0.5,
    planRun,
  });
}

describe('aggregation trigger handler with a run planner', () => {
  it('plans the run date, lookback and the days ETL runs recorded in the window, and starts the run with --plan_path', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_daily' });
    const asked: unknown[] = [];
    const handler = setup(async (run) => {
      asked.push(run);
      return 's3://streampulse-lake-123/scripts/glue/runs/streampulse-aggregate/p.json';
    });
    const result = await handler(scheduledEvent('2025-03-14T20:30:00Z'), context);
    // CHANGED_DAYS_WINDOW_DAYS defaults to 7: markers from 7 days before the event on.
    expect(asked).toEqual([
      { runDate: '2025-03-14', lookbackDays: 2, changedSince: new Date('2025-03-07T20:30:00Z') },
    ]);
    expect(glue.commandCalls(StartJobRunCommand).map((c) => c.args[0].input.Arguments)).toEqual([
      {
        '--plan_path': 's3://streampulse-lake-123/scripts/glue/runs/streampulse-aggregate/p.json',
      },
    ]);
    expect(result.arguments['--plan_path']).toMatch(/runs\/streampulse-aggregate/);
  });

  it('asks for lookback days only with CHANGED_DAYS_WINDOW_DAYS=0', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_daily' });
    const asked: unknown[] = [];
    const handler = setup(
      async (run) => {
        asked.push(run);
        return 's3://streampulse-lake-123/scripts/glue/runs/streampulse-aggregate/p.json';
      },
      { CHANGED_DAYS_WINDOW_DAYS: '0' },
    );
    await handler(scheduledEvent('2025-03-14T20:30:00Z'), context);
    expect(asked).toEqual([{ runDate: '2025-03-14', lookbackDays: 2 }]);
  });

  it('throws start_failed, without starting a run, when the plan cannot be uploaded', async () => {
    const cause = new RunPlanError('write_failed', 'uploading the run plan');
    const handler = setup(async () => {
      throw cause;
    });
    const error = await handler(scheduledEvent('2025-03-14T20:30:00Z'), context).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AggregateTriggerError', code: 'start_failed', cause });
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(0);
  });
});
