import { SAMPLE_QUERY, TOP_TITLES_QUERY } from '@streampulse/analytics-sql';
import { runAggregateJob, runEtlJob } from '@streampulse/jobs';
import { openLake } from '@streampulse/lake';
import { openLocalQuery } from '@streampulse/local-query';
import { DEFAULT_SETTINGS } from '@streampulse/schema';
import { generateLake } from '@streampulse/generator';
import { connectWarehouse } from '@streampulse/warehouse';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseCommandArgs } from '../args.js';
import { DEMO_LAKE_DIR, EMBEDDED_DATABASE_DIR, openDatabase } from '../database.js';
import { EXIT, type CliIo } from '../io.js';
import { ProgressLine } from '../progress.js';
import { writeDashboardFile } from './dashboard.js';
import { renderQueryResult } from './query.js';

/** Everything the demo writes lives here, inside the folder it runs in (git-ignored). */
export const DEMO_DIR = '.streampulse';

export const demoHelp = `Usage: streampulse demo [options]      (also: npm start)

Runs the whole pipeline on a laptop with no settings: generates a month of synthetic viewing
for a few thousand users into a local lake, loads it with the ETL job into PostgreSQL (the
embedded server unless DATABASE_URL is set), aggregates every day into the lake as Parquet,
writes the dashboard and prints the sample query's result. A second run reuses the lake and
the database and only does what is new.

Everything goes under ${DEMO_DIR}/ in the current folder:
  ${DEMO_DIR}/demo-lake/        the lake (raw/, rejected/, analytics/)
  ${DEMO_DIR}/demo-lake/${EMBEDDED_DATABASE_DIR}/  the lake's embedded PostgreSQL
  ${DEMO_DIR}/dashboard.html    the dashboard (open it in a browser, works offline)

Options:
  --database-url <url>   PostgreSQL URL (default: $DATABASE_URL, else the embedded server)
  --users <n>            users to generate (default 3000)
  --days <n>             days to generate (default 30)
  -h, --help             show this help
`;

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** `streampulse demo` (= `npm start`): generate, ETL, aggregate, dashboard, sample query. */
export async function demoCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('demo', args, {
    'database-url': { type: 'string' },
    users: { type: 'string' },
    days: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(demoHelp);
    return EXIT.ok;
  }
  const cwd = io.cwd ?? process.cwd();
  const lakeDir = join(cwd, DEMO_LAKE_DIR);
  const dashboardFile = join(cwd, DEMO_DIR, 'dashboard.html');
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const started = performance.now();
  const progress = new ProgressLine(io.stderr);

  let step = performance.now();
  if (existsSync(join(lakeDir, 'raw', 'playback'))) {
    const ignored = ['users', 'days'].filter((name) => values[name as 'users' | 'days'] !== undefined);
    say(
      `1/5 lake: reusing ${relative(cwd, lakeDir)}` +
        (ignored.length
          ? ` (${ignored.map((n) => `--${n}`).join(' and ')} ignored: they only shape a new lake; remove ${relative(cwd, lakeDir)} to generate afresh)`
          : ''),
    );
  } else {
    const summary = await generateLake({
      outDir: lakeDir,
      users: Number(values.users ?? 3000),
      days: Number(values.days ?? 30),
      seed: 42,
      dirtyRate: 0.02,
      onProgress: (p) =>
        progress.update(() => `generating ${p.day}: ${p.sessions}/${p.sessionsTotal} sessions`),
    });
    progress.done();
    say(
      `1/5 lake: generated ${summary.sessions} sessions over ${summary.firstDay}..${summary.lastDay} ` +
        `for ${summary.users} users in ${summary.files.length} files (${seconds(step)})`,
    );
  }

  step = performance.now();
  const database = await openDatabase(values['database-url'], io.env, relative(cwd, lakeDir), lakeDir);
  say(`2/5 database: ${database.label} ready (${seconds(step)})`);
  const pool = await connectWarehouse(database.url, { applicationName: 'streampulse-demo' });
  const lake = openLake(lakeDir);
  try {
    step = performance.now();
    const etl = await runEtlJob({
      lake,
      pool,
      settings: DEFAULT_SETTINGS,
      onProgress: (p) =>
        progress.update(
          (s) =>
            `ETL file ${p.filesDone}/${p.filesTotal}: ${p.rowsRead} rows, ${Math.round(p.rowsRead / Math.max(s, 0.001))} rows/s`,
        ),
    });
    progress.done();
    const loadedFiles = etl.files.filter((f) => f.status === 'loaded').length;
    say(
      `3/5 ETL: ${loadedFiles} files loaded, ${etl.files.length - loadedFiles} unchanged or skipped; ` +
        `${etl.rows_loaded} rows loaded, ${etl.rows_rejected} rejected (see ${relative(cwd, join(lakeDir, 'rejected'))}) (${seconds(step)})`,
    );

    step = performance.now();
    const aggregated = await runAggregateJob({ lake, pool, days: 'pending', format: 'parquet' });
    say(
      `4/5 aggregate: ${aggregated.days.length} days written as Parquet under analytics/ (${seconds(step)})`,
    );
  } finally {
    await pool.end();
    await database.close();
  }

  step = performance.now();
  await writeDashboardFile(lake, dashboardFile, 'StreamPulse engagement (synthetic demo data)');
  say(`5/5 dashboard: ${relative(cwd, dashboardFile)} (${seconds(step)})`);

  const scratchDir = await mkdtemp(join(tmpdir(), 'streampulse-demo-'));
  try {
    const local = await openLocalQuery({ lake, scratchDir });
    try {
      say(`\nTop 10 titles over the whole period (the top_titles view):\n${TOP_TITLES_QUERY}\n`);
      io.stdout.write(renderQueryResult(await local.query(TOP_TITLES_QUERY), 'table'));
      // The contract's sample query as written: its rows are day x region x device x title.
      say(`\nThe contract's sample query (one row per day, region, device and title):\n${SAMPLE_QUERY}\n`);
      io.stdout.write(renderQueryResult(await local.query(SAMPLE_QUERY), 'table'));
    } finally {
      await local.close();
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }

  say(`\nDone in ${seconds(started)}. Next:`);
  say(`  open ${relative(cwd, dashboardFile)}    (Linux: xdg-open ${relative(cwd, dashboardFile)})`);
  say(`  npx streampulse db start    (then psql "$(npx streampulse db url)": processed.processed_data)`);
  say(
    `  npx streampulse query --lake ${relative(cwd, lakeDir)} "SELECT * FROM daily_active_users WHERE region = 'ALL' LIMIT 5"`,
  );
  say(`  npx streampulse --help`);
  return EXIT.ok;
}
