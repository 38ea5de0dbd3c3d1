import {
  ConcurrentRunsExceededException,
  GlueClient,
  GlueServiceException,
  StartJobRunCommand,
} from '@aws-sdk/client-glue';
import { GlueJobLauncher } from '@streampulse/glue';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AggregateTriggerError,
  createHandler,
  readAggregateTriggerConfig,
  type AggregateTriggerDeps,
} from '../src/index.js';
import { ENV, scheduledEvent } from './events.js';
import { jsonLineLogger } from '@streampulse/logging';

const glue = mockClient(GlueClient);
afterEach(() => glue.reset());

const context = { getRemainingTimeInMillis: () => 30_000 };

function setup(env: Record<string, string> = {}, overrides: Partial<AggregateTriggerDeps> = {}) {
  const logs: Record<string, unknown>[] = [];
  const sleeps: number[] = [];
  const handler = createHandler({
    launcher: new GlueJobLauncher(new GlueClient({ region: 'ap-south-1' })),
    config: readAggregateTriggerConfig({ ...ENV, ...env }),
    logger: jsonLineLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    planRun: async ({ runDate, lookbackDays }) => `plan-for:${runDate}+${lookbackDays}`,
    ...overrides,
  });
  return { handler, logs, sleeps };
}

const startInputs = () => glue.commandCalls(StartJobRunCommand).map((call) => call.args[0].input);

describe('aggregation trigger handler', () => {
  it('at 20:30 UTC (02:00 IST) starts the job for the IST day that just ended, with its plan', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_daily' });
    const { handler, logs } = setup();
    const result = await handler(scheduledEvent('2025-03-14T20:30:00Z'), context);
    expect(startInputs()).toEqual([
      {
        JobName: 'streampulse-aggregate',
        Arguments: { '--plan_path': 'plan-for:2025-03-14+1' },
      },
    ]);
    expect(result).toMatchObject({ runDate: '2025-03-14', jobRunId: 'jr_daily' });
    expect(logs).toEqual([
      {
        level: 'INFO',
        message: 'job run started',
        jobName: 'streampulse-aggregate',
        jobRunId: 'jr_daily',
        runDate: '2025-03-14',
        attempts: 1,
      },
    ]);
  });

  it.each([
    // IST midnight between 14 and 15 March is 18:30Z on the 14th.
    ['2025-03-14T18:29:59.999Z', 'Asia/Kolkata', '2025-03-13'],
    ['2025-03-14T18:30:00Z', 'Asia/Kolkata', '2025-03-14'],
    // Year end in IST.
    ['2024-12-31T18:30:00Z', 'Asia/Kolkata', '2024-12-31'],
    // UTC midnight.
    ['2025-03-14T23:59:59.999Z', 'UTC', '2025-03-13'],
    ['2025-03-15T00:00:00Z', 'UTC', '2025-03-14'],
    // New York's midnight moves with daylight saving time (EDT from 9 March 2025).
    ['2025-03-15T03:59:59Z', 'America/New_York', '2025-03-13'],
    ['2025-03-15T04:00:00Z', 'America/New_York', '2025-03-14'],
    // A leap day.
    ['2024-02-29T20:30:00Z', 'Asia/Kolkata', '2024-02-29'],
  ])('an event at %s in %s aggregates %s', async (time, zone, runDate) => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const { handler } = setup({ REPORTING_TZ: zone });
    await handler(scheduledEvent(time), context);
    expect(startInputs()[0]?.Arguments?.['--plan_path']).toBe(`plan-for:${runDate}+1`);
  });

  it('takes the run date from the event, never from the clock: a late retry aggregates the same day', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const { handler } = setup();
    const result = await handler(scheduledEvent('2020-01-01T20:30:00Z'), context);
    expect(result.runDate).toBe('2020-01-01');
  });

  it('passes LOOKBACK_DAYS', async () => {
    glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_1' });
    const { handler } = setup({ LOOKBACK_DAYS: '3' });
    await handler(scheduledEvent('2025-03-14T20:30:00Z'), context);
    expect(startInputs()[0]?.Arguments?.['--plan_path']).toBe('plan-for:2025-03-14+3');
  });

  it('retries concurrent runs exceeded and 5xx, then succeeds', async () => {
    glue
      .on(StartJobRunCommand)
      .rejectsOnce(new ConcurrentRunsExceededException({ message: 'busy', $metadata: {} }))
      .rejectsOnce(
        new GlueServiceException({
          name: 'InternalFailure',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
        }),
      )
      .resolves({ JobRunId: 'jr_third' });
    const { handler, sleeps } = setup();
    const result = await handler(scheduledEvent('2025-03-14T20:30:00Z'), context);
    expect(result.jobRunId).toBe('jr_third');
    expect(startInputs()).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it('gives up within the remaining time and throws, so the event goes to the on-failure destination', async () => {
    glue
      .on(StartJobRunCommand)
      .rejects(new ConcurrentRunsExceededException({ message: 'busy', $metadata: {} }));
    let remaining = 7_000;
    const { handler, logs } = setup(
      {},
      {
        sleep: async (ms) => {
          remaining -= ms;
        },
      },
    );
    const error = await handler(scheduledEvent('2025-03-14T20:30:00Z'), {
      getRemainingTimeInMillis: () => remaining,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateTriggerError);
    expect(error).toMatchObject({ code: 'start_failed', cause: { code: 'gave_up' } });
    expect(remaining).toBeGreaterThan(5_000 - 1);
    expect(logs.at(-1)).toMatchObject({
      level: 'ERROR',
      message: 'job run not started',
      runDate: '2025-03-14',
    });
  });

  it('rejects an event without a valid time', async () => {
    const { handler } = setup();
    await expect(handler({ source: 'aws.events' }, context)).rejects.toMatchObject({ code: 'bad_event' });
    expect(startInputs()).toEqual([]);
  });
});

describe('readAggregateTriggerConfig', () => {
  it('defaults REPORTING_TZ to Asia/Kolkata, LOOKBACK_DAYS to 1 and CHANGED_DAYS_WINDOW_DAYS to 7', () => {
    expect(readAggregateTriggerConfig(ENV)).toMatchObject({
      reportingTimeZone: 'Asia/Kolkata',
      lookbackDays: 1,
      changedDaysWindowDays: 7,
    });
  });

  it.each([
    [{ AGGREGATE_JOB_NAME: '' }, /AGGREGATE_JOB_NAME/],
    [{ OUTPUT_PATH: 'analytics/' }, /OUTPUT_PATH/],
    [{ REPORTING_TZ: '+05:30' }, /REPORTING_TZ/],
    [{ LOOKBACK_DAYS: 'two' }, /LOOKBACK_DAYS/],
    [{ CHANGED_DAYS_WINDOW_DAYS: '-1' }, /CHANGED_DAYS_WINDOW_DAYS must be a whole number of days, got "-1"/],
  ])('names the bad setting in %j', (override, message) => {
    expect(() => readAggregateTriggerConfig({ ...ENV, ...override })).toThrow(message);
  });
});
