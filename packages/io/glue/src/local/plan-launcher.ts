import { randomUUID } from 'node:crypto';
import { databaseUrlOf, type PlanRunner } from '@streampulse/plan-runner';
import { GlueLauncherError } from '../errors.js';
import {
  validateStartRequest,
  type JobLauncher,
  type JobRunRef,
  type JobRunStatus,
  type StartJobRunRequest,
  type WaitOptions,
} from '../launcher.js';

/**
 * Options of {@link PlanJobLauncher}.
 *
 * @example
 * const options: PlanLauncherOptions = { databaseUrl: 'postgres://u:p@127.0.0.1/streampulse' };
 */
export interface PlanLauncherOptions {
  /** The warehouse every run uses; default the run's `--jdbc_url`, `--jdbc_user`, `--jdbc_password`. */
  databaseUrl?: string;
  now?: () => Date;
  newRunId?: () => string;
}

interface PlanRun {
  status: JobRunStatus;
  done: Promise<JobRunStatus>;
}

/**
 * A launcher whose runs do what a Glue run does with the same arguments: run the `--plan_path`
 * plan through a {@link PlanRunner} (a local Spark with the Glue runner, or DuckDB). The runner
 * reads only the plan, so a run's arguments are the plan's path and, without `databaseUrl`, the
 * warehouse's JDBC arguments. `start` returns at once; `wait` sees the run end, FAILED with the
 * engine's message when it failed.
 *
 * @example
 * const launcher = new PlanJobLauncher(new DuckdbPlanRunner({ env: process.env }), { databaseUrl });
 * const run = await launcher.start({ jobName: 'streampulse-etl', arguments: { '--plan_path': planPath } });
 * (await launcher.wait(run)).state; // 'SUCCEEDED'
 */
export class PlanJobLauncher implements JobLauncher {
  readonly backend: 'spark' | 'duckdb';
  readonly #runs = new Map<string, PlanRun>();
  readonly #now: () => Date;
  readonly #newRunId: () => string;

  constructor(
    private readonly runner: PlanRunner,
    private readonly options: PlanLauncherOptions = {},
  ) {
    this.backend = runner.engine;
    this.#now = options.now ?? (() => new Date());
    this.#newRunId = options.newRunId ?? (() => `jr_${runner.engine}_${randomUUID().replaceAll('-', '')}`);
  }

  async start(request: StartJobRunRequest): Promise<JobRunRef> {
    validateStartRequest(request);
    const planPath = request.arguments['--plan_path'];
    if (!planPath) {
      throw new GlueLauncherError(
        'invalid_request',
        'a run needs --plan_path: the runner reads only its plan',
      );
    }
    const databaseUrl = this.options.databaseUrl ?? databaseUrlOf(request.arguments);
    const ref: JobRunRef = { jobName: request.jobName, runId: this.#newRunId() };
    const started = this.#now().getTime();
    const finish = (error?: unknown): JobRunStatus => {
      const status: JobRunStatus = {
        ...ref,
        state: error === undefined ? 'SUCCEEDED' : 'FAILED',
        durationSeconds: Math.round((this.#now().getTime() - started) / 1000),
        ...(error === undefined
          ? {}
          : { errorMessage: error instanceof Error ? error.message : String(error) }),
      };
      run.status = status;
      return status;
    };
    const run: PlanRun = {
      status: { ...ref, state: 'RUNNING' },
      done: this.runner.run(planPath, databaseUrl).then(
        () => finish(),
        (error: unknown) => finish(error),
      ),
    };
    this.#runs.set(ref.runId, run);
    return ref;
  }

  async status(run: JobRunRef): Promise<JobRunStatus> {
    return this.#run(run).status;
  }

  async wait(run: JobRunRef, options: WaitOptions = {}): Promise<JobRunStatus> {
    const planRun = this.#run(run);
    options.onPoll?.(planRun.status);
    const status = await planRun.done;
    options.onPoll?.(status);
    return status;
  }

  #run(run: JobRunRef): PlanRun {
    const planRun = this.#runs.get(run.runId);
    if (!planRun || planRun.status.jobName !== run.jobName) {
      throw new GlueLauncherError('run_not_found', `no run ${run.runId} of ${run.jobName} in this process`);
    }
    return planRun;
  }
}
