import { GetJobRunCommand, GlueClient, StartJobRunCommand, type JobRun } from '@aws-sdk/client-glue';
import { systemClock, type LauncherClock } from './clock.js';
import { GlueLauncherError } from './errors.js';
import { glueLauncherError } from './glue-errors.js';
import {
  TERMINAL_STATES,
  validateStartRequest,
  type JobLauncher,
  type JobRunRef,
  type JobRunState,
  type JobRunStatus,
  type StartJobRunRequest,
  type WaitOptions,
} from './launcher.js';

/**
 * Options of {@link createGlueClient}.
 *
 * @example
 * const options: GlueClientOptions = { region: 'ap-south-1', maxAttempts: 1 };
 */
export interface GlueClientOptions {
  region?: string;
  /**
   * Attempts the SDK makes per call (default: the SDK's, 3). The Lambdas pass 1: they retry on
   * their own, within the invocation's remaining time, and two retry loops would multiply.
   */
  maxAttempts?: number;
}

/**
 * A Glue client from an environment: `AWS_ENDPOINT_URL_GLUE` (else `AWS_ENDPOINT_URL`) points it
 * at another endpoint (a local fake, a VPC endpoint); region and credentials come from the SDK's
 * usual chain.
 *
 * @example
 * const client = createGlueClient(process.env, { region: 'ap-south-1' });
 */
export function createGlueClient(
  env: Record<string, string | undefined>,
  options: GlueClientOptions = {},
): GlueClient {
  const endpoint = env.AWS_ENDPOINT_URL_GLUE || env.AWS_ENDPOINT_URL;
  return new GlueClient({
    ...(endpoint ? { endpoint } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
}

const FIRST_POLL_MS = 2_000;
const MAX_POLL_MS = 30_000;
const DEFAULT_WAIT_MS = 3_600_000;

const STATES: ReadonlySet<string> = new Set<JobRunState>([
  'STARTING',
  'RUNNING',
  'STOPPING',
  'STOPPED',
  'SUCCEEDED',
  'FAILED',
  'TIMEOUT',
  'ERROR',
  'WAITING',
  'EXPIRED',
]);

function isState(value: string | undefined): value is JobRunState {
  return value !== undefined && STATES.has(value);
}

function durationSeconds(run: JobRun, now: number): number | undefined {
  const started = run.StartedOn?.getTime();
  if (started !== undefined) {
    const ended =
      run.CompletedOn?.getTime() ?? (TERMINAL_STATES.has(run.JobRunState as JobRunState) ? undefined : now);
    if (ended !== undefined) return Math.max(0, Math.round((ended - started) / 1000));
  }
  return run.ExecutionTime;
}

/**
 * The AWS Glue backend: StartJobRun to start, GetJobRun polled with exponential backoff to wait.
 * Glue's errors become {@link GlueLauncherError}s; `retryable` marks the ones worth retrying.
 *
 * @example
 * const launcher = new GlueJobLauncher(createGlueClient(process.env));
 * const run = await launcher.start({ jobName: 'streampulse-etl', arguments: { '--input_path': 's3://lake/raw/playback/a.csv' } });
 */
export class GlueJobLauncher implements JobLauncher {
  readonly backend = 'glue';

  constructor(
    private readonly client: GlueClient,
    private readonly clock: LauncherClock = systemClock,
  ) {}

  async start(request: StartJobRunRequest): Promise<JobRunRef> {
    validateStartRequest(request);
    const output = await this.client
      .send(new StartJobRunCommand({ JobName: request.jobName, Arguments: { ...request.arguments } }))
      .catch((error: unknown) => {
        throw glueLauncherError(error, `starting a run of ${request.jobName}`, 'job_not_found');
      });
    if (!output.JobRunId) {
      throw new GlueLauncherError(
        'glue_error',
        `starting a run of ${request.jobName}: Glue returned no JobRunId`,
      );
    }
    return { jobName: request.jobName, runId: output.JobRunId };
  }

  async status(run: JobRunRef): Promise<JobRunStatus> {
    const output = await this.client
      .send(new GetJobRunCommand({ JobName: run.jobName, RunId: run.runId, PredecessorsIncluded: false }))
      .catch((error: unknown) => {
        throw glueLauncherError(error, `checking run ${run.runId} of ${run.jobName}`, 'run_not_found');
      });
    const jobRun = output.JobRun;
    if (!jobRun || !isState(jobRun.JobRunState)) {
      throw new GlueLauncherError(
        'glue_error',
        `checking run ${run.runId} of ${run.jobName}: Glue returned no known state (${String(jobRun?.JobRunState)})`,
      );
    }
    const duration = durationSeconds(jobRun, this.clock.now());
    return {
      ...run,
      state: jobRun.JobRunState,
      ...(duration !== undefined ? { durationSeconds: duration } : {}),
      ...(jobRun.ErrorMessage ? { errorMessage: jobRun.ErrorMessage } : {}),
    };
  }

  async wait(run: JobRunRef, options: WaitOptions = {}): Promise<JobRunStatus> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const started = this.clock.now();
    for (let delay = FIRST_POLL_MS; ; delay = Math.min(delay * 2, MAX_POLL_MS)) {
      const status = await this.status(run);
      options.onPoll?.(status);
      if (TERMINAL_STATES.has(status.state)) return status;
      const waited = this.clock.now() - started;
      if (waited >= timeoutMs) {
        throw new GlueLauncherError(
          'timeout',
          `run ${run.runId} of ${run.jobName} did not end within ${Math.round(timeoutMs / 1000)} s ` +
            `(last state ${status.state}); it goes on in Glue`,
        );
      }
      await this.clock.sleep(Math.min(delay, timeoutMs - waited));
    }
  }
}
