import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  dashboardDataFromQuery,
  DashboardQueryError,
  renderDashboard,
  type DashboardData,
} from '@streampulse/dashboard';
import { openLake, type Lake } from '@streampulse/lake';
import { LocalQueryError, openLocalQuery } from '@streampulse/local-query';
import { parseCommandArgs, requireOption } from '../args.js';
import { EXIT, type CliIo } from '../io.js';

export const dashboardHelp = `Usage: streampulse dashboard --lake <dir|s3://bucket[/prefix]> --out <file.html> [options]

Writes the engagement dashboard as one self-contained HTML file: top 10 titles, daily unique
viewers, watch hours by device type, regional engagement, genre performance and daily active
users by device type, from the lake's daily_engagement and daily_active_users aggregates (read
locally with DuckDB). The file needs no network: open it from disk, mail it, archive it.

Options:
  --lake <root>     lake root: a folder or s3://bucket[/prefix] (required)
  --out <file>      the HTML file to write, e.g. dashboard.html (required; folders are created)
  --title <text>    the page title (default "StreamPulse engagement")
  --json            print exactly one JSON summary object on stdout
  -h, --help        show this help

Exit status: 0 the file was written (a lake without aggregates yet gives empty charts);
1 it could not be (bad options, unreadable lake or aggregates).
`;

function summaryOf(data: DashboardData): string {
  const days = data.dailyViewers.length;
  if (days === 0) return 'no aggregates in the lake yet: every chart shows "no data"';
  const first = data.dailyViewers[0]?.date;
  const last = data.dailyViewers[days - 1]?.date;
  return (
    `${days} day${days === 1 ? '' : 's'} (${first === last ? first : `${first}..${last}`}), ` +
    `${data.topTitles.length} top titles, ${data.watchHoursByDevice.length} device types, ` +
    `${data.regionalEngagement.length} regions, ${data.genrePerformance.length} genres`
  );
}

/**
 * Queries a lake's aggregates and writes the offline HTML dashboard to `out`.
 *
 * @example
 * await writeDashboardFile(openLake('./lake'), 'dashboard.html', 'StreamPulse engagement');
 */
export async function writeDashboardFile(
  lake: Lake,
  out: string,
  title: string,
): Promise<{ data: DashboardData; html: string }> {
  // An S3 lake's aggregates are downloaded here first; a local lake is read where it is.
  const scratchDir = await mkdtemp(join(tmpdir(), 'streampulse-dashboard-'));
  let data: DashboardData;
  try {
    const local = await openLocalQuery({ lake, scratchDir });
    try {
      data = await dashboardDataFromQuery((sql) => local.query(sql));
    } finally {
      await local.close();
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
  const html = renderDashboard(data, {
    title,
    generatedAt: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC from ${lake.root}`,
  });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, html);
  return { data, html };
}

/** `streampulse dashboard`: queries the lake's aggregates and writes the offline HTML dashboard. */
export async function dashboardCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('dashboard', args, {
    lake: { type: 'string' },
    out: { type: 'string' },
    title: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(dashboardHelp);
    return EXIT.ok;
  }
  const root = requireOption('dashboard', 'lake', values.lake);
  const out = resolve(io.cwd ?? process.cwd(), requireOption('dashboard', 'out', values.out));
  const lake = openLake(root, { env: io.env });

  let written: { data: DashboardData; html: string };
  try {
    written = await writeDashboardFile(lake, out, values.title ?? 'StreamPulse engagement');
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
    io.stdout.write(JSON.stringify({ out, bytes, rows }) + '\n');
  } else {
    io.stdout.write(`wrote ${out} (${(bytes / 1000).toFixed(1)} kB): ${summaryOf(data)}\n`);
  }
  return EXIT.ok;
}
