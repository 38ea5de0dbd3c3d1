import { mkdir, mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import {
  dashboardDataFromQuery,
  DashboardQueryError,
  renderDashboard,
  type DashboardData,
  type DashboardPeriod,
} from '@streampulse/dashboard';
import { openLake, type Lake } from '@streampulse/lake';
import { LocalQueryError, openLocalQuery } from '@streampulse/local-query';
import { isCalendarDay } from '@streampulse/schema';
import { parseCommandArgs, requireOption } from '../args.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { requireLakeRoot } from '../lake-root.js';

export const dashboardHelp = `Usage: streampulse dashboard --lake <dir|s3://bucket[/prefix]> --out <file.html> [options]

Writes the engagement dashboard as one self-contained HTML file: top 10 titles, daily unique
viewers, watch hours, sessions and average session duration per day, watch hours by device type, regional engagement, genre performance and daily active
users by device type, from the lake's daily_engagement and daily_active_users aggregates (read
locally with DuckDB). The file needs no network: open it from disk, mail it, archive it.

Options:
  --lake <root>     lake root: a folder or s3://bucket[/prefix] (required)
  --out <file>      the HTML file to write, e.g. dashboard.html (required; folders are created)
  --title <text>    the page title (default "StreamPulse engagement")
  --from <day>      first day shown, YYYY-MM-DD, a reporting-zone (IST) day (default: the first held)
  --to <day>        last day shown, YYYY-MM-DD, included (default: the last held)
  --json            print exactly one JSON summary object on stdout
  -h, --help        show this help

Exit status: 0 the file was written (a lake without aggregates yet gives empty charts);
1 it could not be (bad options, unreadable lake or aggregates).
`;

function periodText({ from, to }: DashboardPeriod): string {
  if (from !== undefined && to !== undefined) return `from ${from} to ${to}`;
  if (from !== undefined) return `from ${from}`;
  return `up to ${to ?? ''}`;
}

function summaryOf(data: DashboardData, period: DashboardPeriod): string {
  const days = data.dailyViewers.length;
  if (days === 0) {
    return period.from === undefined && period.to === undefined
      ? 'no aggregates in the lake yet: every chart shows "no data"'
      : `no aggregates in the lake ${periodText(period)}: every chart shows "no data"`;
  }
  const first = data.dailyViewers[0]?.date;
  const last = data.dailyViewers[days - 1]?.date;
  return (
    `${days} day${days === 1 ? '' : 's'} (${first === last ? first : `${first}..${last}`}), ` +
    `${data.topTitles.length} top titles, ${data.watchHoursByDevice.length} device types, ` +
    `${data.regionalEngagement.length} regions, ${data.genrePerformance.length} genres`
  );
}

/** A lake as the page names it: an S3 URL as it is, a folder by its own name (no home folders leak). */
function lakeName(root: string): string {
  return root.startsWith('s3://') ? root : `lake ${basename(root)}`;
}

/**
 * Queries a lake's aggregates (the days of `period`, every day held by default) and writes the
 * offline HTML dashboard to `out`.
 *
 * @example
 * await writeDashboardFile(openLake('./lake'), 'dashboard.html', 'StreamPulse engagement', { from: '2025-03-01' });
 */
export async function writeDashboardFile(
  lake: Lake,
  out: string,
  title: string,
  period: DashboardPeriod = {},
): Promise<{ data: DashboardData; html: string }> {
  // An S3 lake's aggregates are downloaded here first; a local lake is read where it is.
  const scratchDir = await mkdtemp(join(tmpdir(), 'streampulse-dashboard-'));
  let data: DashboardData;
  try {
    const local = await openLocalQuery({ lake, scratchDir });
    try {
      data = await dashboardDataFromQuery((sql) => local.query(sql), period);
    } finally {
      await local.close();
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
  const html = renderDashboard(data, {
    title,
    generatedAt: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC from ${lakeName(lake.root)}`,
  });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, html);
  return { data, html };
}

/** A period that is not one is a usage error naming the option, before the lake is read. */
function checkPeriod({ from, to }: DashboardPeriod): void {
  for (const [option, day] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (day !== undefined && !isCalendarDay(day))
      throw new UsageError(`${option} ${day}: not a calendar day as YYYY-MM-DD`);
  }
  if (from !== undefined && to !== undefined && from > to)
    throw new UsageError(`--from ${from} is after --to ${to}: no day is in that period`);
}

/** Why a file cannot be written at `out`, as one line naming the path; checked before any query runs. */
async function checkWritable(out: string, given: string): Promise<void> {
  const fail = (reason: string): never => {
    throw new UsageError(`--out ${given}: ${reason}`);
  };
  const existing = await stat(out).catch(() => undefined);
  if (existing?.isDirectory()) fail('is a folder; give a file name such as dashboard.html');
  try {
    await mkdir(dirname(out), { recursive: true });
    const handle = await open(out, 'a');
    await handle.close();
    if (!existing) await rm(out, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reasons: Record<string, string> = {
      ENOTDIR: 'a parent of it is a file, not a folder',
      EEXIST: 'a parent of it is a file, not a folder',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      EROFS: 'the file system is read-only',
      ENOENT: 'cannot create it there',
      EISDIR: 'is a folder',
    };
    fail(reasons[code ?? ''] ?? (error instanceof Error ? error.message : String(error)));
  }
}

/** `streampulse dashboard`: queries the lake's aggregates and writes the offline HTML dashboard. */
export async function dashboardCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('dashboard', args, {
    lake: { type: 'string' },
    out: { type: 'string' },
    title: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(dashboardHelp);
    return EXIT.ok;
  }
  const root = requireOption('dashboard', 'lake', values.lake);
  const out = resolve(io.cwd ?? process.cwd(), requireOption('dashboard', 'out', values.out));
  const period: DashboardPeriod = {
    ...(values.from === undefined ? {} : { from: values.from }),
    ...(values.to === undefined ? {} : { to: values.to }),
  };
  checkPeriod(period);
  const lake = openLake(root, { env: io.env });
  await requireLakeRoot(lake, root, ['analytics', 'raw'], 'dashboard', io.cwd ?? process.cwd());
  await checkWritable(out, values.out ?? out);

  let written: { data: DashboardData; html: string };
  try {
    written = await writeDashboardFile(lake, out, values.title ?? 'StreamPulse engagement', period);
  } catch (error) {
    if (!(error instanceof LocalQueryError || error instanceof DashboardQueryError)) throw error;
    io.stderr.write(`streampulse dashboard: ${error.message}\n`);
    return EXIT.failed;
  }
  const { data, html } = written;
  const bytes = Buffer.byteLength(html);
  if (values.json) {
    const rows = Object.fromEntries(
      Object.entries(data).map(([chart, list]) => [chart, (list as unknown[]).length]),
    );
    const chosen = { from: period.from ?? null, to: period.to ?? null };
    io.stdout.write(JSON.stringify({ out, bytes, rows, period: chosen }) + '\n');
  } else {
    io.stdout.write(`wrote ${out} (${(bytes / 1000).toFixed(1)} kB): ${summaryOf(data, period)}\n`);
  }
  return EXIT.ok;
}
