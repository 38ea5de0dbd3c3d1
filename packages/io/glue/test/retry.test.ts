import { describe, expect, it } from 'vitest';
import {
  GlueLauncherError,
  lambdaRetryDeps,
  startJobRunWithRetry,
  type JobLauncher,
  type JobRunRef,
  type StartJobRunRequest,
} from '../src/index.js';
import { jsonLineLogger } from '@streampulse/logging';

/** A launcher whose start() fails with the given errors, then succeeds. */
function flakyLauncher(errors: Error[]): JobLauncher & { calls: number } {
  const launcher = {
    backend: 'glue' as const,
    calls: 0,
    async start(request: StartJobRunRequest): Promise<JobRunRef> {
      launcher.calls += 1;
      const error = errors.shift();
      if (error) throw error;
      return { jobName: request.jobName, runId: `jr_${launcher.calls}` };
    },
    status: () => Promise.reject(new Error('unused')),
    wait: () => Promise.reject(new Error('unused')),
  };
  return launcher;
}

const busy = () => new GlueLauncherError('concurrent_runs_exceeded', 'busy');
const request = { jobName: 'etl', arguments: { '--input_path': 's3://b/k' } };

function clock(remainingMs: number) {
  let remaining = remainingMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    deps: {
      remainingTimeMs: () => remaining,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        remaining -= ms;
      },
      random: () => 0.5,
    },
  };
}

describe('startJobRunWithRetry', () => {
  it('retries retryable errors with doubling jittered delays, then returns the run and attempt count', async () => {
    const launcher = flakyLauncher([busy(), busy(), new GlueLauncherError('throttled', 'slow')]);
    const { deps, sleeps } = clock(60_000);
    const started = await startJobRunWithRetry(launcher, request, deps, { baseDelayMs: 100 });
    expect(started).toEqual({ run: { jobName: 'etl', runId: 'jr_4' }, attempts: 4 });
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('gives up when the next wait would cut into the safety margin, keeping the last error as cause', async () => {
    const last = busy();
    const launcher = flakyLauncher([busy(), busy(), busy(), busy(), last]);
    const { deps, sleeps } = clock(6_000);
    const error = await startJobRunWithRetry(launcher, request, deps, {
      baseDelayMs: 1_000,
      safetyMarginMs: 5_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GlueLauncherError);
    expect(error).toMatchObject({ code: 'gave_up', retryable: false });
    expect((error as Error).cause).toBeInstanceOf(GlueLauncherError);
    expect(sleeps).toEqual([500]);
    expect(launcher.calls).toBe(2);
  });

  it('throws errors that are not retryable at once', async () => {
    const launcher = flakyLauncher([new GlueLauncherError('job_not_found', 'no such job')]);
    const { deps, sleeps } = clock(60_000);
    await expect(startJobRunWithRetry(launcher, request, deps)).rejects.toMatchObject({
      code: 'job_not_found',
    });
    expect(sleeps).toEqual([]);
  });

  it('caps the delay at maxDelayMs', async () => {
    const launcher = flakyLauncher([busy(), busy(), busy(), busy()]);
    const { deps, sleeps } = clock(600_000);
    deps.random = () => 0.999;
    await startJobRunWithRetry(launcher, request, deps, { baseDelayMs: 1_000, maxDelayMs: 3_000 });
    expect(sleeps).toEqual([999, 1998, 2997, 2997]);
  });
});

describe('lambdaRetryDeps', () => {
  it("logs each retry as one WARN entry with the run's fields, within the invocation's time", async () => {
    const logs: Record<string, unknown>[] = [];
    const waits: number[] = [];
    const deps = lambdaRetryDeps(
      { getRemainingTimeInMillis: () => 60_000 },
      {
        logger: jsonLineLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
        sleep: async (ms) => void waits.push(ms),
        random: () => 0.5,
      },
      { inputPath: 's3://b/k' },
    );
    const started = await startJobRunWithRetry(flakyLauncher([busy()]), request, deps);
    expect(started.attempts).toBe(2);
    expect(logs).toEqual([
      {
        level: 'WARN',
        message: 'retrying StartJobRun',
        inputPath: 's3://b/k',
        attempt: 1,
        delayMs: waits[0],
        code: 'concurrent_runs_exceeded',
      },
    ]);
    expect(deps.remainingTimeMs()).toBe(60_000);
  });
});
