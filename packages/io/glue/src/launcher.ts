import { GlueLauncherError } from './errors.js';

/**
 * Job arguments as Glue takes them: names with their leading `--`, values as text.
 *
 * @example
 * const args: JobArguments = { '--run_date': '2025-03-14', '--lookback_days': '1' };
 */
export type JobArguments = Readonly<Record<string, string>>;

/**
 * One StartJobRun: which job, with which arguments.
 *
 * @example
 * const request: StartJobRunRequest = { jobName: 'streampulse-etl', arguments: { '--plan_path': 's3://lake/scripts/glue/runs/streampulse-etl/ab.json' } };
 */
export interface StartJobRunRequest {
  jobName: string;
  arguments: JobArguments;
}

/**
 * Names one job run.
 *
 * @example
 * const run: JobRunRef = { jobName: 'streampulse-etl', runId: 'jr_0123' };
 */
export interface JobRunRef {
  jobName: string;
  runId: string;
}

/**
 * Glue's job run states.
 *
 * @example
 * const state: JobRunState = 'SUCCEEDED';
 */
export type JobRunState =
  | 'STARTING'
  | 'RUNNING'
  | 'STOPPING'
  | 'STOPPED'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMEOUT'
  | 'ERROR'
  | 'WAITING'
  | 'EXPIRED';

/**
 * The states a run never leaves.
 *
 * @example
 * if (TERMINAL_STATES.has(status.state)) report(status);
 */
export const TERMINAL_STATES: ReadonlySet<JobRunState> = new Set([
  'STOPPED',
  'SUCCEEDED',
  'FAILED',
  'TIMEOUT',
  'ERROR',
  'EXPIRED',
]);

/**
 * Where a run is: its state, how long it has run, and why it failed.
 *
 * @example
 * const status: JobRunStatus = { jobName: 'streampulse-etl', runId: 'jr_0123', state: 'FAILED', durationSeconds: 42, errorMessage: 'boom' };
 */
export interface JobRunStatus extends JobRunRef {
  state: JobRunState;
  durationSeconds?: number;
  errorMessage?: string;
  /** What the job reported, when the backend knows it (the local backend: the job's report). */
  report?: unknown;
}

/**
 * Options of {@link JobLauncher.wait}.
 *
 * @example
 * const options: WaitOptions = { timeoutMs: 3_600_000, onPoll: (s) => console.error(s.state) };
 */
export interface WaitOptions {
  /** Longest wait; past it, `wait` throws a `GlueLauncherError` code 'timeout' (default 1 hour). */
  timeoutMs?: number;
  /** Told every status seen while waiting. */
  onPoll?: (status: JobRunStatus) => void;
}

/**
 * Starts and follows job runs. The backends: AWS Glue (`GlueJobLauncher`), and the same plans run
 * here on a local Spark or on DuckDB (`PlanJobLauncher`), so code written against this interface
 * (the trigger Lambdas) runs the same on a laptop.
 *
 * @example
 * const run = await launcher.start({ jobName: 'streampulse-aggregate', arguments: { '--run_date': '2025-03-14' } });
 * const status = await launcher.wait(run);
 * console.log(status.state, status.durationSeconds, status.errorMessage ?? '');
 */
export interface JobLauncher {
  /** Which backend this is, for logs. */
  readonly backend: 'glue' | 'spark' | 'duckdb';
  /** Starts a run; the run goes on after the promise resolves. */
  start(request: StartJobRunRequest): Promise<JobRunRef>;
  /** The run's status now. */
  status(run: JobRunRef): Promise<JobRunStatus>;
  /** Resolves with the run's status once it is in a terminal state. */
  wait(run: JobRunRef, options?: WaitOptions): Promise<JobRunStatus>;
}

/**
 * Checks a request before it is sent: a job name, and argument names that start with `--`.
 *
 * @example
 * validateStartRequest({ jobName: 'streampulse-etl', arguments: { input_path: 'x' } }); // throws: must start with --
 */
export function validateStartRequest(request: StartJobRunRequest): void {
  if (request.jobName.trim() === '') {
    throw new GlueLauncherError('invalid_request', 'the job name is empty');
  }
  for (const name of Object.keys(request.arguments)) {
    if (!/^--[A-Za-z0-9_.-]+$/.test(name)) {
      throw new GlueLauncherError(
        'invalid_request',
        `job argument name ${JSON.stringify(name)} must start with -- and hold only letters, digits, _ . -`,
      );
    }
  }
}
