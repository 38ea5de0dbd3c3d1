import type { PlanEtlJobOptions } from '@streampulse/jobs';
import { runEtlJob, type EtlJobOptions } from '@streampulse/jobs/etl';
import { silentLogger, textLineLogger } from '@streampulse/logging';
import { openLake } from '@streampulse/lake';
import type { RunReport } from '@streampulse/transform';
import { connectWarehouse } from '@streampulse/warehouse';
import { parseCommandArgs, requireOption } from '../args.js';
import { openDatabase } from '../database.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { requireLakeRoot } from '../lake-root.js';
import { ProgressLine } from '../progress.js';
import { parseSettings } from '../settings.js';

export const etlHelp = `Usage: streampulse etl --lake <dir|s3://bucket[/prefix]> [options]

Loads playback files from the lake into processed.processed_data: cleans timestamps, computes
duration_min, joins content metadata and user profiles, quarantines rejected rows under
rejected/playback/. Files already loaded with the same etag are left alone.

Options:
  --lake <root>          lake root: a folder or s3://bucket[/prefix] (required)
  --input <key>          load only this playback key, relative to the lake root (repeatable)
  --database-url <url>   PostgreSQL URL (default: $DATABASE_URL, else the lake's own embedded
                         server in <lake>/.streampulse/postgres; see: streampulse db --help)
  --source-tz <IANA>     zone of timestamps written without an offset (default UTC)
  --reporting-tz <IANA>  zone whose calendar date is event_date (default Asia/Kolkata)
  --force                reload files the ledger has as loaded
  --engine <name>        default (TypeScript, row by row) or duckdb (the Glue ETL job's compiled
                         plan, one run per file as the trigger plans it, on DuckDB: the plan the
                         Glue job runs on Spark); same table, report and quarantine; duckdb is
                         the slower one (docs/benchmarks.md) (default: default)
  --json                 print exactly one JSON report object on stdout
  -h, --help             show this help

Exit status: 0 every file loaded (or unchanged, or skipped); 2 the run finished but some file
failed (the others loaded); 1 the run could not be done (bad settings, unreachable database or lake).
`;

function summary(report: RunReport, seconds: number): string {
  const count = (status: string) => report.files.filter((f) => f.status === status).length;
  const lines = [
    `files: ${count('loaded')} loaded, ${count('unchanged')} unchanged, ${count('failed')} failed, ${count('skipped')} skipped`,
    `rows: ${report.rows_read} read, ${report.rows_loaded} loaded (${report.rows_inserted} inserted, ${report.rows_replaced} replaced), ${report.rows_rejected} rejected, ${report.duplicates} duplicates`,
    `orphans: ${report.orphan_content} without content metadata, ${report.orphan_user} without a user profile`,
  ];
  const reasons = Object.entries(report.rejected_by_reason);
  if (reasons.length)
    lines.push(`rejected: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')} (see rejected/playback/)`);
  for (const file of report.files.filter((f) => f.status === 'failed'))
    lines.push(`failed: ${file.key}: ${file.error}`);
  for (const key of report.files_skipped) lines.push(`skipped (unsupported file type): ${key}`);
  lines.push(`done in ${seconds.toFixed(1)} s`);
  return lines.join('\n') + '\n';
}

/** `streampulse etl`: parses, runs the ETL job, prints the report, maps the outcome to an exit status. */
export async function etlCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('etl', args, {
    lake: { type: 'string' },
    input: { type: 'string', multiple: true },
    'database-url': { type: 'string' },
    'source-tz': { type: 'string' },
    'reporting-tz': { type: 'string' },
    force: { type: 'boolean' },
    engine: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(etlHelp);
    return EXIT.ok;
  }
  const engine = values.engine ?? 'default';
  if (engine !== 'default' && engine !== 'duckdb') {
    throw new UsageError(
      `--engine must be default or duckdb, got ${JSON.stringify(engine)} (see: streampulse etl --help)`,
    );
  }
  const settings = parseSettings(values);
  const root = requireOption('etl', 'lake', values.lake);
  const lake = openLake(root, {
    env: io.env,
    // On stderr also with --json: stdout then holds the report alone.
    logger: textLineLogger((line) => io.stderr.write(`${line}\n`), { minLevel: 'WARN' }),
  });
  await requireLakeRoot(lake, root, ['raw'], 'etl', io.cwd ?? process.cwd());
  const started = performance.now();
  const database = await openDatabase(values['database-url'], io.env, root, lake.root);
  // --json keeps stdout to one object and stderr quiet; the label is for people.
  if (!values.json) io.stdout.write(`database: ${database.label}\n`);
  const pool = await connectWarehouse(database.url, { applicationName: 'streampulse-etl' }).catch(
    async (error) => {
      await database.close();
      throw error;
    },
  );
  const progress = new ProgressLine(io.stderr);
  // People see warnings, each naming its file; the progress line gives way to them first.
  const logger = values.json
    ? silentLogger
    : textLineLogger(
        (line) => {
          progress.done();
          io.stderr.write(`${line}\n`);
        },
        { minLevel: 'WARN', subjectField: 'key' },
      );
  try {
    const options: EtlJobOptions = {
      lake,
      pool,
      settings,
      ...(values.input ? { inputs: values.input } : {}),
      force: values.force ?? false,
      logger,
      onProgress: (p) =>
        progress.update(
          (s) =>
            `file ${p.filesDone}/${p.filesTotal} ${p.currentFile}  ${p.rowsRead} rows  ${Math.round(p.rowsRead / Math.max(s, 0.001))} rows/s`,
        ),
    };
    const report =
      engine === 'duckdb' ? await runPlanEngine({ ...options, env: io.env }) : await runEtlJob(options);
    progress.done();
    const seconds = (performance.now() - started) / 1000;
    io.stdout.write(values.json ? JSON.stringify(report) + '\n' : summary(report, seconds));
    return report.files_failed.length > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    progress.done();
    await pool.end();
    await database.close();
  }
}

/** The compiled-plan engine, loaded only when asked for: it brings DuckDB, a slow start for every run. */
async function runPlanEngine(options: PlanEtlJobOptions): Promise<RunReport> {
  const { runPlanEtlJob } = await import('@streampulse/jobs');
  return runPlanEtlJob(options);
}
