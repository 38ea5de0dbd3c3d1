import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateJobCommand,
  GetJobCommand,
  UpdateJobCommand,
  type GlueClient,
  type Job,
  type JobUpdate,
  type WorkerType,
} from '@aws-sdk/client-glue';
import type { Lake } from '@streampulse/lake';
import { LAKE_LAYOUT } from '@streampulse/schema';
import { compileAggregateJobPlan, compileEtlJobPlan, SPARK, type JobPlan } from '@streampulse/sql';
import { pipelineSettingsSchema } from '@streampulse/schema';
import { GlueLauncherError } from './errors.js';
import { glueLauncherError } from './glue-errors.js';

const RUNNER_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'glue', 'runner.py');

/**
 * What `deploy` is told: the lake, the job names and how the jobs run.
 *
 * @example
 * const options: DeployOptions = { lakeRoot: 's3://bucket', roleArn: 'arn:aws:iam::1:role/glue' };
 */
export interface DeployOptions {
  /** `s3://bucket[/prefix]`; the runner and plans go under `<root>/scripts/glue/`. */
  lakeRoot: string;
  etlJob?: string;
  aggregateJob?: string;
  /** Required to create a job; an update keeps the job's role when absent. */
  roleArn?: string;
  /** Glue connection names (the warehouse's JDBC connection). */
  connections?: readonly string[];
  workers?: number;
  workerType?: string;
}

/**
 * One object `deploy` uploads: its key under the lake root and its bytes.
 *
 * @example
 * const upload: DeployUpload = { key: 'scripts/glue/runner.py', body: '...' };
 */
export interface DeployUpload {
  key: string;
  body: string;
}

/**
 * The fields of a job definition `deploy` owns; anything else on the job is left as it is.
 *
 * @example
 * const def = jobDefinitions({ lakeRoot: 's3://bucket' })[0];
 */
export interface JobDefinition {
  name: string;
  /** Role, command, version, workers, concurrency, queuing, connections and default arguments. */
  fields: JobUpdate;
}

/**
 * One job's planned change: create (not there yet) or update, with the fields that differ.
 *
 * @example
 * const change: JobChange = { name: 'streampulse-etl', action: 'update', diff: [{ field: 'GlueVersion', before: '3.0', after: '4.0' }] };
 */
export interface JobChange {
  name: string;
  action: 'create' | 'update';
  diff: { field: string; before: unknown; after: unknown }[];
}

/**
 * What a deploy did (or, dry, would do).
 *
 * @example
 * const result: DeployResult = await deploy(deps, { lakeRoot: 's3://bucket' }, { dryRun: true });
 */
export interface DeployResult {
  uploads: { key: string; bytes: number }[];
  jobs: JobChange[];
  dryRun: boolean;
}

/**
 * The plans the runner starts from when a run names none: compiled over no files and no days, so
 * the runner refuses them (see `glue/runner.py`); every real run passes `--plan_path` to a plan
 * compiled for its own inputs (the trigger Lambdas through `planEtlRun`/`planAggregateRun`, and
 * `smoke`). Deployed anyway so a run started by hand without a plan fails loudly instead of
 * pointing at a missing object.
 *
 * @example
 * deployPlans('s3://bucket').etl.version === JOB_PLAN_VERSION; // true
 */
export function deployPlans(lakeRoot: string): { etl: JobPlan; aggregate: JobPlan } {
  return {
    etl: compileEtlJobPlan(SPARK, { lakeRoot, files: [], settings: pipelineSettingsSchema.parse({}) }),
    aggregate: compileAggregateJobPlan(SPARK, { lakeRoot, days: [] }),
  };
}

function url(lakeRoot: string, key: string): string {
  return `${lakeRoot.replace(/\/+$/, '')}/${key}`;
}

/**
 * The objects `deploy` uploads: `runner.py` and both plans as JSON, under `scripts/glue/`.
 *
 * @example
 * deployUploads('s3://bucket').map((u) => u.key); // ['scripts/glue/runner.py', 'scripts/glue/etl-plan.json', 'scripts/glue/aggregate-plan.json']
 */
export function deployUploads(lakeRoot: string): DeployUpload[] {
  const plans = deployPlans(lakeRoot);
  const dir = LAKE_LAYOUT.glueScripts;
  return [
    { key: `${dir}runner.py`, body: readFileSync(RUNNER_PATH, 'utf8') },
    { key: `${dir}etl-plan.json`, body: `${JSON.stringify(plans.etl, null, 2)}\n` },
    { key: `${dir}aggregate-plan.json`, body: `${JSON.stringify(plans.aggregate, null, 2)}\n` },
  ];
}

/**
 * Both job definitions, as the infra stack declares them but running `runner.py` with its plan:
 * ETL up to 10 concurrent runs, aggregation 1, runs queued rather than refused.
 *
 * @example
 * jobDefinitions({ lakeRoot: 's3://bucket', roleArn }).map((j) => j.name); // ['streampulse-etl', 'streampulse-aggregate']
 */
export function jobDefinitions(options: DeployOptions): JobDefinition[] {
  const dir = LAKE_LAYOUT.glueScripts;
  const define = (name: string, plan: string, maxConcurrentRuns: number): JobDefinition => ({
    name,
    fields: {
      ...(options.roleArn ? { Role: options.roleArn } : {}),
      Command: {
        Name: 'glueetl',
        ScriptLocation: url(options.lakeRoot, `${dir}runner.py`),
        PythonVersion: '3',
      },
      GlueVersion: '4.0',
      NumberOfWorkers: options.workers ?? 2,
      WorkerType: (options.workerType ?? 'G.1X') as WorkerType,
      ExecutionProperty: { MaxConcurrentRuns: maxConcurrentRuns },
      JobRunQueuingEnabled: true,
      ...(options.connections?.length ? { Connections: { Connections: [...options.connections] } } : {}),
      DefaultArguments: {
        '--job-language': 'python',
        '--enable-continuous-cloudwatch-log': 'true',
        '--plan_path': url(options.lakeRoot, `${dir}${plan}`),
        ...(options.connections?.[0] ? { '--connection_name': options.connections[0] } : {}),
      },
    },
  });
  return [
    define(options.etlJob ?? 'streampulse-etl', 'etl-plan.json', 10),
    define(options.aggregateJob ?? 'streampulse-aggregate', 'aggregate-plan.json', 1),
  ];
}

/**
 * The differences between a job as Glue has it and as defined: only the fields `deploy` owns,
 * compared as JSON; a missing job differs in every field.
 *
 * @example
 * diffJob(undefined, def).length === Object.keys(def.fields).length; // true
 */
export function diffJob(current: Job | undefined, definition: JobDefinition): JobChange['diff'] {
  const diff: JobChange['diff'] = [];
  for (const [field, after] of Object.entries(definition.fields)) {
    const before = current ? (current as Record<string, unknown>)[field] : undefined;
    if (JSON.stringify(before) !== JSON.stringify(after)) diff.push({ field, before, after });
  }
  return diff;
}

/**
 * What `deploy` needs outside itself: the Glue client and the lake to upload into.
 *
 * @example
 * const deps: DeployDeps = { glue: createGlueClient(process.env), lake: openLake('s3://bucket', { env }) };
 */
export interface DeployDeps {
  glue: GlueClient;
  lake: Lake;
}

// UpdateJob replaces the whole definition: fields deploy does not own are sent back as they are,
// else Glue would reset them (the role, timeout, retries, description set by the infra stack).
function kept(job: Job): JobUpdate {
  return {
    ...(job.Role ? { Role: job.Role } : {}),
    ...(job.Description !== undefined ? { Description: job.Description } : {}),
    ...(job.Timeout !== undefined ? { Timeout: job.Timeout } : {}),
    ...(job.MaxRetries !== undefined ? { MaxRetries: job.MaxRetries } : {}),
    ...(job.SecurityConfiguration ? { SecurityConfiguration: job.SecurityConfiguration } : {}),
  };
}

function withCommand(definition: JobDefinition): JobUpdate & { Command: NonNullable<JobUpdate['Command']> } {
  const { Command } = definition.fields;
  if (!Command) throw new GlueLauncherError('invalid_request', `job ${definition.name} has no command`);
  return { ...definition.fields, Command };
}

async function currentJob(glue: GlueClient, name: string): Promise<Job | undefined> {
  try {
    return (await glue.send(new GetJobCommand({ JobName: name }))).Job;
  } catch (error) {
    const mapped = glueLauncherError(error, `reading job ${name}`, 'job_not_found');
    if (mapped.code === 'job_not_found') return undefined;
    throw mapped;
  }
}

/**
 * Uploads the runner and plans, then creates or updates both jobs (GetJob, then CreateJob or
 * UpdateJob). With `dryRun` only GetJob is sent: the result says what would be uploaded and which
 * fields would change. Glue's errors become `GlueLauncherError`s; creating a job without
 * `roleArn` is `invalid_request`.
 *
 * @example
 * const result = await deploy({ glue, lake }, { lakeRoot: 's3://bucket', roleArn }, { dryRun: false });
 */
export async function deploy(
  deps: DeployDeps,
  options: DeployOptions,
  { dryRun }: { dryRun: boolean },
): Promise<DeployResult> {
  const uploads = deployUploads(options.lakeRoot);
  const definitions = jobDefinitions(options);
  const plans: { definition: JobDefinition; change: JobChange; current: Job | undefined }[] = [];
  for (const definition of definitions) {
    const current = await currentJob(deps.glue, definition.name);
    if (!current && !options.roleArn) {
      throw new GlueLauncherError(
        'invalid_request',
        `job ${definition.name} does not exist yet: creating it needs --role-arn`,
      );
    }
    const action = current ? 'update' : 'create';
    plans.push({
      definition,
      current,
      change: { name: definition.name, action, diff: diffJob(current, definition) },
    });
  }
  const result: DeployResult = {
    uploads: uploads.map((u) => ({ key: u.key, bytes: Buffer.byteLength(u.body) })),
    jobs: plans.map((p) => p.change),
    dryRun,
  };
  if (dryRun) return result;
  // The runner and plans first: a job updated before its script would run the old one.
  for (const upload of uploads) await deps.lake.write(upload.key, upload.body);
  for (const { definition, change, current } of plans) {
    const what = `${change.action === 'create' ? 'creating' : 'updating'} job ${definition.name}`;
    const sent = current
      ? deps.glue.send(
          new UpdateJobCommand({
            JobName: definition.name,
            JobUpdate: { ...kept(current), ...definition.fields },
          }),
        )
      : deps.glue.send(
          new CreateJobCommand({
            Name: definition.name,
            Role: options.roleArn ?? '',
            ...withCommand(definition),
          }),
        );
    await sent.catch((error: unknown) => {
      throw glueLauncherError(error, what, 'job_not_found');
    });
  }
  return result;
}
