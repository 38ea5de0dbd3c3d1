import { createReadStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createHandler, s3ObjectCreatedEvent } from '@streampulse/etl-trigger';
import { describeRun, type JobRunStatus } from '@streampulse/glue-launcher';
import { LocalJobLauncher } from '@streampulse/glue-launcher/local';
import { openLake, parseLakeRoot } from '@streampulse/lake';
import { DEFAULT_SETTINGS, LAKE_LAYOUT } from '@streampulse/schema';
import type { RunReport } from '@streampulse/transform';
import { parseCommandArgs, requireOption } from '../args.js';
import { openDatabase } from '../database.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

/**
 * `streampulse put --help`.
 *
 * @example
 * io.stdout.write(putHelp);
 */
export const putHelp = `Usage: streampulse put --lake <dir> <file> [--key <key>] [options]

Plays the cloud's S3 -> Lambda -> Glue path on this machine: copies <file> into the lake under
raw/playback/, builds the ObjectCreated:Put event the bucket would send, hands it to the ETL
trigger Lambda's handler with the local launcher, and waits for the ETL run, whose rows land in
processed.processed_data. The trigger's JSON log lines go to stderr.

Options:
  --lake <dir>           lake folder (required)
  --key <key>            where the file goes (default raw/playback/<file name>); must be under
                         raw/playback/
  --bucket <name>        bucket name the event carries (default streampulse-local)
  --job-name <name>      ETL job name the trigger starts (default streampulse-etl)
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

function rowsLine(status: JobRunStatus): string {
  const report = status.report as RunReport | undefined;
  if (!report) return '';
  return `rows: ${report.rows_read} read, ${report.rows_loaded} loaded, ${report.rows_rejected} rejected, ${report.duplicates} duplicates\n`;
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
  const lake = openLake(resolve(cwd, root), { env: io.env });
  const object = await lake.write(key, createReadStream(file));

  const jobName = values['job-name'] ?? 'streampulse-etl';
  const database = await openDatabase(values['database-url'], io.env, cwd);
  try {
    const launcher = new LocalJobLauncher({
      lake,
      env: io.env,
      databaseUrl: database.url,
      jobs: { [jobName]: 'etl' },
    });
    const handler = createHandler({
      launcher,
      // The local launcher runs the TypeScript ETL job with its own settings; no plan is compiled.
      config: { jobName, playbackPrefix: LAKE_LAYOUT.playback, settings: DEFAULT_SETTINGS },
      log: (entry) => io.stderr.write(`${JSON.stringify(entry)}\n`),
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
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ key: object.key, size: object.size, etag: object.etag, runs })}\n`);
    } else {
      io.stdout.write(`put ${object.key} (${object.size} bytes) into ${lake.root}\n`);
      for (const run of runs) io.stdout.write(`${describeRun(run)}\n${rowsLine(run)}`);
    }
    return runs.length > 0 && runs.every((run) => run.state === 'SUCCEEDED') ? EXIT.ok : EXIT.failed;
  } finally {
    await database.close();
  }
}
