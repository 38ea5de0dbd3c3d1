import { AggregateJobError, runAggregateJob, type AggregateJobReport } from '@streampulse/jobs';
import { textLineLogger } from '@streampulse/logging';
import { openLake } from '@streampulse/lake';
import { calendarDays, type AggregateFormat } from '@streampulse/schema';
import { connectWarehouse } from '@streampulse/warehouse';
import { parseCommandArgs, parseDay, requireOption } from '../args.js';
import { openDatabase } from '../database.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

/**
 * `streampulse aggregate --help`.
 *
 * @example
 * io.stdout.write(aggregateHelp);
 */
export const aggregateHelp = `Usage: streampulse aggregate --lake <dir|s3://bucket[/prefix]>
         (--date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD | --pending) [options]

Computes daily_engagement and daily_active_users in PostgreSQL from processed.processed_data
and writes each day as one object per table under analytics/daily_aggregates/ and
analytics/daily_active_users/ (year=YYYY/month=MM/day=DD/). A rerun replaces a day's object in
one write; a day without rows loses its partitions.

Options:
  --lake <root>          lake root: a folder or s3://bucket[/prefix] (required)
  --date <day>           aggregate this day
  --from <day> --to <day>
                         aggregate every day from --from to --to, both included
  --pending              aggregate every day a load changed since it was last aggregated
  --database-url <url>   PostgreSQL URL (default: $DATABASE_URL, else the embedded server in
                         .streampulse/postgres)
  --format <format>      parquet (default, snappy) or csv (with a header row)
  --json                 print exactly one JSON report object on stdout
  -h, --help             show this help

Exit status: 0 every day was aggregated; 1 the run could not be done (bad options, unreachable
database or lake).
`;

const FORMATS: readonly AggregateFormat[] = ['parquet', 'csv'];

/** Every day from `from` to `to`, both included. */
function daysBetween(from: string, to: string): string[] {
  if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
  return calendarDays(from, to);
}

/** The days the options select: exactly one of --date, --from/--to and --pending. */
function selectedDays(values: {
  date?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  pending?: boolean | undefined;
}): string[] | 'pending' {
  const chosen = [
    values.date !== undefined,
    values.from !== undefined || values.to !== undefined,
    values.pending,
  ];
  if (chosen.filter(Boolean).length !== 1) {
    throw new UsageError(
      'give exactly one of --date, --from/--to or --pending (see: streampulse aggregate --help)',
    );
  }
  if (values.pending) return 'pending';
  if (values.date !== undefined) return [parseDay('--date', values.date)];
  const from = parseDay('--from', requireOption('aggregate', 'from', values.from));
  return daysBetween(from, parseDay('--to', requireOption('aggregate', 'to', values.to)));
}

function parseFormat(value: string | undefined): AggregateFormat {
  if (value === undefined) return 'parquet';
  const format = FORMATS.find((f) => f === value);
  if (!format) throw new UsageError(`--format must be parquet or csv, got ${JSON.stringify(value)}`);
  return format;
}

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

function summary(report: AggregateJobReport, pending: boolean, seconds: number): string {
  if (report.days.length === 0) {
    return `nothing to aggregate${pending ? ': no day changed since it was last aggregated' : ''}\n`;
  }
  const lines = [`aggregated ${count(report.days.length, 'day')} as ${report.format}:`];
  for (const day of report.days) {
    lines.push(
      day.objects.length === 0
        ? `  ${day.day}  no rows: its partitions were removed`
        : `  ${day.day}  daily_engagement ${count(day.engagement_rows, 'row')}, ` +
            `daily_active_users ${count(day.active_users_rows, 'row')}`,
    );
  }
  lines.push(`done in ${seconds.toFixed(1)} s`);
  return lines.join('\n') + '\n';
}

/**
 * `streampulse aggregate`: parses, runs the aggregation job, prints the report (one JSON object
 * with --json), maps a failed run to exit 1.
 *
 * @example
 * const code = await aggregateCommand(['--lake', './lake', '--pending', '--json'], io);
 */
export async function aggregateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('aggregate', args, {
    lake: { type: 'string' },
    date: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    pending: { type: 'boolean' },
    'database-url': { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(aggregateHelp);
    return EXIT.ok;
  }
  const days = selectedDays(values);
  const format = parseFormat(values.format);
  const root = requireOption('aggregate', 'lake', values.lake);
  const lake = openLake(root, { env: io.env });
  const started = performance.now();
  const database = await openDatabase(values['database-url'], io.env, root, lake.root);
  // --json keeps stdout to one object and stderr quiet; the label is for people.
  if (!values.json) io.stdout.write(`database: ${database.label}\n`);
  const pool = await connectWarehouse(database.url, { applicationName: 'streampulse-aggregate' }).catch(
    async (error: unknown) => {
      await database.close();
      throw error;
    },
  );
  const logger = textLineLogger((line) => io.stderr.write(`${line}\n`), {
    minLevel: 'WARN',
    subjectField: 'day',
  });
  try {
    const report = await runAggregateJob({ lake, pool, days, format, logger });
    const seconds = (performance.now() - started) / 1000;
    io.stdout.write(
      values.json ? JSON.stringify(report) + '\n' : summary(report, days === 'pending', seconds),
    );
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof AggregateJobError)) throw error;
    io.stderr.write(`streampulse aggregate: ${error.message}\n`);
    return EXIT.failed;
  } finally {
    await pool.end();
    await database.close();
  }
}
