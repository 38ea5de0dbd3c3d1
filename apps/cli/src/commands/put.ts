import { createReadStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describeRun, glueRejectedKey, planEtlRun, type JobRunStatus } from '@streampulse/glue';
import { dialectOf, localPlanRunner, PlanJobLauncher } from '@streampulse/glue/local';
import { openLake, parseLakeRoot, readObjectBytes, type Lake } from '@streampulse/lake';
import { DEFAULT_SETTINGS, LAKE_LAYOUT, WAREHOUSE_TABLES } from '@streampulse/schema';
import { createEtlTriggerHandler, s3ObjectCreatedEvent } from '@streampulse/triggers';
import { connectWarehouse } from '@streampulse/warehouse';
import { parseCommandArgs, requireOption } from '../args.js';
import { openDatabase } from '../database.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { jsonLineLogger } from '@streampulse/logging';

/**
 * `streampulse put --help`.
 *
 * @example
 * io.stdout.write(putHelp);
 */
export const putHelp = `Usage: streampulse put --lake <dir> <file> [--key <key>] [options]

Plays the cloud's S3 -> Lambda -> Glue path on this machine: copies <file> into the lake under
raw/playback/, builds the ObjectCreated:Put event the bucket would send, and hands it to the ETL
trigger Lambda's handler, which compiles the run's job plan and stores it under
scripts/glue/runs/ as in AWS. The plan then runs on --runner (the Glue runner itself on a local
Spark, or DuckDB), and its rows land in processed.processed_data, its rejected rows under
rejected/playback/_glue/. The trigger's JSON log lines go to stderr.

Options:
  --lake <dir>           lake folder (required)
  --key <key>            where the file goes (default raw/playback/<file name>); must be under
                         raw/playback/
  --bucket <name>        bucket name the event carries (default streampulse-local)
  --job-name <name>      ETL job name the trigger starts (default streampulse-etl)
  --runner <engine>      duckdb (default: in this process) or spark (Glue 5.0's Spark 3.5.4,
                         after \`npm run spark:setup\`)
  --database-url <url>   PostgreSQL URL (default: $DATABASE_URL, else the embedded server in
                         .streampulse/postgres)
  --json                 print exactly one JSON object on stdout
  -h, --help             show this help

Exit status: 0 the file was put and its run SUCCEEDED; 1 otherwise.
`;

function fileSize(path: string): number {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new UsageError(`${path} is not a file`);
    return stats.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** How many rejected rows the run of `key` wrote (its own folder under rejected/playback/_glue/). */
async function rejectedRows(lake: Lake, key: string): Promise<number> {
  let rows = 0;
  for await (const object of lake.list(glueRejectedKey(key))) {
    if (object.key.split('/').at(-1)?.startsWith('_')) continue;
    const text = (await readObjectBytes(lake, object.key)).toString('utf8');
    rows += text.split('\n').filter((line) => line !== '').length;
  }
  return rows;
}

async function processedRows(databaseUrl: string): Promise<number> {
  const pool = await connectWarehouse(databaseUrl, { max: 1 });
  try {
    const result = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${WAREHOUSE_TABLES.processed}`);
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await pool.end();
  }
}

/**
 * `streampulse put`: copies a file into the lake's playback prefix and runs it through the ETL
 * trigger handler and the local launcher into PostgreSQL.
 *
 * @example
 * const code = await putCommand(['--lake', './lake', 'sessions.csv'], io);
 */
export async function putCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'put',
    args,
    {
      lake: { type: 'string' },
      key: { type: 'string' },
      bucket: { type: 'string' },
      'job-name': { type: 'string' },
      runner: { type: 'string' },
      'database-url': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(putHelp);
    return EXIT.ok;
  }
  const root = requireOption('put', 'lake', values.lake);
  if (parseLakeRoot(root).kind !== 'local') throw new UsageError('--lake must be a local folder for put');
  if (positionals.length !== 1)
    throw new UsageError('give exactly one file to put (see: streampulse put --help)');
  const cwd = io.cwd ?? process.cwd();
  const file = resolve(cwd, positionals[0] ?? '');
  const key = values.key ?? `${LAKE_LAYOUT.playback}${basename(file)}`;
  if (!key.startsWith(LAKE_LAYOUT.playback) || key.endsWith('/')) {
    throw new UsageError(`--key must name a file under ${LAKE_LAYOUT.playback}, got ${JSON.stringify(key)}`);
  }
  fileSize(file);
  const backend = values.runner ?? 'duckdb';
  if (backend !== 'duckdb' && backend !== 'spark') {
    throw new UsageError(`--runner must be duckdb or spark, got ${JSON.stringify(backend)}`);
  }
  const runner = localPlanRunner(backend, { env: io.env });
  const lake = openLake(resolve(cwd, root), { env: io.env });
  const object = await lake.write(key, createReadStream(file));

  const jobName = values['job-name'] ?? 'streampulse-etl';
  const database = await openDatabase(values['database-url'], io.env, root, lake.root);
  if (!values.json) io.stdout.write(`database: ${database.label}\n`);
  try {
    const launcher = new PlanJobLauncher(runner, { databaseUrl: database.url });
    const handler = createEtlTriggerHandler({
      launcher,
      config: { jobName, playbackPrefix: LAKE_LAYOUT.playback, settings: DEFAULT_SETTINGS },
      logger: jsonLineLogger((line) => io.stderr.write(`${line}\n`)),
      // The Lambda's planner, over the lake folder, compiled for the engine that runs it here.
      planRun: async (planned) =>
        (
          await planEtlRun(
            { lake },
            {
              jobName,
              inputKey: planned.key,
              playbackPrefix: LAKE_LAYOUT.playback,
              settings: DEFAULT_SETTINGS,
              dialect: dialectOf(backend),
            },
          )
        ).planPath,
    });
    const event = s3ObjectCreatedEvent({
      bucket: values.bucket ?? 'streampulse-local',
      key: object.key,
      size: object.size,
      eTag: object.etag,
    });
    const result = await handler(event, { getRemainingTimeInMillis: () => 900_000 });
    const runs: JobRunStatus[] = [];
    for (const run of result.runs) runs.push(await launcher.wait({ jobName, runId: run.jobRunId }));
    const succeeded = runs.length > 0 && runs.every((run) => run.state === 'SUCCEEDED');
    const rows = succeeded
      ? { processed: await processedRows(database.url), rejected: await rejectedRows(lake, object.key) }
      : undefined;
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ key: object.key, size: object.size, etag: object.etag, runner: backend, runs, ...(rows ? { rows } : {}) })}\n`,
      );
    } else {
      io.stdout.write(`put ${object.key} (${object.size} bytes) into ${lake.root}\n`);
      for (const run of runs) io.stdout.write(`${describeRun(run)} (runner: ${backend})\n`);
      if (rows) {
        io.stdout.write(
          `rows: ${rows.rejected} rejected (${glueRejectedKey(object.key)}); ${rows.processed} in ${WAREHOUSE_TABLES.processed}\n`,
        );
      }
    }
    return succeeded ? EXIT.ok : EXIT.failed;
  } finally {
    await runner.close();
    await database.close();
  }
}
