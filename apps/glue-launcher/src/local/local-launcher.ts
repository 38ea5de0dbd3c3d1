import { randomUUID } from 'node:crypto';
import {
  runAggregateJob,
  runEtlJob,
  silentLogger,
  type AggregateJobReport,
  type Logger,
} from '@streampulse/jobs';
import type { Lake } from '@streampulse/lake';
import { connectWarehouse, resolveDatabase } from '@streampulse/warehouse';
import { GlueLauncherError } from '../errors.js';
import {
  validateStartRequest,
  type JobLauncher,
  type JobRunRef,
  type JobRunStatus,
  type StartJobRunRequest,
  type WaitOptions,
} from '../launcher.js';
import { planLocalJob, type LocalJobKind, type LocalJobPlan } from './job-plan.js';

/**
 * What the local backend runs against.
 *
 * @example
 * const options: LocalLauncherOptions = { lake: openLake('./lake'), env: process.env, databaseUrl: 'postgres://postgres@127.0.0.1/streampulse' };
 */
export interface LocalLauncherOptions {
  /** The lake every `s3://bucket/...` argument maps to. */
  lake: Lake;
  /** Where `DATABASE_URL` is read from. */
  env: Record<string, string | undefined>;
  /** The database every `--secret_arn` stands for; default `DATABASE_URL`, else the embedded server. */
  databaseUrl?: string;
  /** Data folder of the embedded server (default `.streampulse/postgres`). */
  embeddedDir?: string;
  /** Job names and the job each runs; names not listed are recognised by their arguments. */
  jobs?: Readonly<Record<string, LocalJobKind>>;
  logger?: Logger;
  now?: () => Date;
  newRunId?: () => string;
}

interface LocalRun {
  status: JobRunStatus;
  done: Promise<JobRunStatus>;
}

function failedFiles(files: readonly { key: string; error?: string; status: string }[]): string {
  const failed = files.filter((f) => f.status === 'failed');
  return failed.map((f) => `${f.key}: ${f.error ?? 'failed'}`).join('; ');
}

/**
 * The local backend: runs the project's own jobs in this process with the arguments a Glue run
 * would get (see `planLocalJob`), against a lake folder and PostgreSQL. `start` validates the
 * arguments and returns at once, like Glue; the run goes on until `wait` sees it end. An ETL run
 * with a failed file, or a job that throws, ends FAILED with the reason as its error message.
 *
 * @example
 * const launcher = new LocalJobLauncher({ lake: openLake('./lake'), env: process.env });
 * const run = await launcher.start({ jobName: 'etl', arguments: { '--input_path': 's3://lake/raw/playback/a.csv' } });
 * const status = await launcher.wait(run); // { state: 'SUCCEEDED', report: { files: [...] }, ... }
 */
export class LocalJobLauncher implements JobLauncher {
  readonly backend = 'local';
  readonly #runs = new Map<string, LocalRun>();
  readonly #now: () => Date;
  readonly #newRunId: () => string;

  constructor(private readonly options: LocalLauncherOptions) {
    this.#now = options.now ?? (() => new Date());
    this.#newRunId = options.newRunId ?? (() => `jr_local_${randomUUID().replaceAll('-', '')}`);
  }

  async start(request: StartJobRunRequest): Promise<JobRunRef> {
    validateStartRequest(request);
    const plan = planLocalJob(request.jobName, request.arguments, this.options.jobs ?? {});
    const ref: JobRunRef = { jobName: request.jobName, runId: this.#newRunId() };
    const started = this.#now().getTime();
    const run: LocalRun = {
      status: { ...ref, state: 'RUNNING' },
      done: Promise.resolve(undefined as unknown as JobRunStatus),
    };
    run.done = this.#execute(plan).then(({ report, error }) => {
      const durationSeconds = Math.round((this.#now().getTime() - started) / 1000);
      run.status = {
        ...ref,
        state: error === undefined ? 'SUCCEEDED' : 'FAILED',
        durationSeconds,
        ...(error !== undefined ? { errorMessage: error } : {}),
        ...(report !== undefined ? { report } : {}),
      };
      return run.status;
    });
    this.#runs.set(ref.runId, run);
    return ref;
  }

  async status(run: JobRunRef): Promise<JobRunStatus> {
    return this.#run(run).status;
  }

  async wait(run: JobRunRef, options: WaitOptions = {}): Promise<JobRunStatus> {
    const local = this.#run(run);
    options.onPoll?.(local.status);
    const status = await local.done;
    options.onPoll?.(status);
    return status;
  }

  #run(run: JobRunRef): LocalRun {
    const local = this.#runs.get(run.runId);
    if (!local || local.status.jobName !== run.jobName) {
      throw new GlueLauncherError('run_not_found', `no run ${run.runId} of ${run.jobName} in this process`);
    }
    return local;
  }

  /** Runs the job; never rejects: a failure is the run's error message. */
  async #execute(plan: LocalJobPlan): Promise<{ report?: unknown; error?: string }> {
    const logger = this.options.logger ?? silentLogger;
    try {
      const database = await resolveDatabase({
        ...(this.options.databaseUrl ? { databaseUrl: this.options.databaseUrl } : {}),
        env: this.options.env,
        embeddedDir: this.options.embeddedDir ?? '.streampulse/postgres',
      });
      try {
        const pool = await connectWarehouse(database.url, {
          applicationName: `streampulse-local-${plan.kind}`,
        });
        try {
          if (plan.kind === 'etl') {
            const report = await runEtlJob({
              lake: this.options.lake,
              pool,
              settings: plan.settings,
              inputs: [plan.inputKey],
              logger,
              now: this.#now,
            });
            const failed = failedFiles(report.files);
            return failed ? { report, error: `file failed: ${failed}` } : { report };
          }
          const common = { lake: this.options.lake, pool, format: plan.format, logger, now: this.#now };
          const given = await runAggregateJob({ ...common, days: plan.days });
          // Late data: days a load changed since they were last aggregated, as the cloud job does.
          const pending = await runAggregateJob({ ...common, days: 'pending' });
          const report: AggregateJobReport = { format: plan.format, days: [...given.days, ...pending.days] };
          return { report };
        } finally {
          await pool.end();
        }
      } finally {
        await database.close();
      }
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}
