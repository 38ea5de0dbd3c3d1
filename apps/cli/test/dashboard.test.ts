import { aggregateByDay, activeUsersCsv, engagementCsv } from '@streampulse/aggregate';
import { lakeFiles } from '@streampulse/golden';
import { LAKE_LAYOUT, partitionPrefix } from '@streampulse/schema';
import { generateLake } from '@streampulse/generator';
import { captured } from '@streampulse/test-servers';
import { runPipeline } from '@streampulse/transform';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardCommand, dashboardHelp } from '../src/commands/dashboard.js';
import { UsageError, type CliIo } from '../src/io.js';

const scratch = mkdtempSync(join(tmpdir(), 'streampulse-cli-dashboard-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = captured();
  const stderr = captured();
  const io: CliIo = { env: {}, stdout, stderr, cwd: scratch };
  const code = await dashboardCommand(args, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** A generated lake with its daily aggregates written as the daily job's CSV objects. */
async function aggregatedLake(dir: string): Promise<void> {
  await generateLake({ outDir: dir, days: 3, users: 300, sessionsPerDay: 800, seed: 4, dirtyRate: 0.02 });
  const { rows } = await runPipeline({
    playback: lakeFiles(dir, LAKE_LAYOUT.playback),
    contentMetadata: lakeFiles(dir, LAKE_LAYOUT.contentMetadata),
    userProfiles: lakeFiles(dir, LAKE_LAYOUT.userProfiles),
  });
  for (const day of aggregateByDay(rows)) {
    for (const [table, csv] of [
      ['daily_engagement', engagementCsv(day.engagement)],
      ['daily_active_users', activeUsersCsv(day.activeUsers)],
    ] as const) {
      const path = join(dir, partitionPrefix(table, day.eventDate), 'part-0.csv');
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, csv);
    }
  }
}

describe('streampulse dashboard', () => {
  const lake = join(scratch, 'lake');
  beforeAll(() => aggregatedLake(lake), 60_000);

  it('prints its help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(dashboardHelp);
  });

  it('writes one offline HTML file with nine charts drawn from the aggregates', async () => {
    const result = await run(['--lake', lake, '--out', 'reports/dashboard.html', '--title', 'Q1 & "beyond"']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const out = join(scratch, 'reports/dashboard.html');
    expect(result.stdout).toBe(
      `wrote ${out} (${(readFileSync(out).length / 1000).toFixed(1)} kB): 3 days (2025-03-01..2025-03-03), ` +
        '10 top titles, 7 device types, 7 regions, 13 genres\n',
    );
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<title>Q1 &amp; &quot;beyond&quot;</title>');
    const charts = html.split('<section').slice(1);
    expect(charts).toHaveLength(9);
    for (const chart of charts) expect(chart).toMatch(/data-value="\d/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html, 'the lake is named, not its absolute path').not.toContain(lake);
  });

  it('summarizes as JSON with --json', async () => {
    const result = await run(['--lake', lake, '--out', join(scratch, 'd.html'), '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.out).toBe(join(scratch, 'd.html'));
    expect(summary.rows).toMatchObject({ topTitles: 10, dailyViewers: 3, dailyActiveUsersByDevice: 21 });
  });

  it('writes empty charts for a lake without aggregates yet', async () => {
    const empty = join(scratch, 'empty-lake');
    mkdirSync(join(empty, 'raw'), { recursive: true });
    const result = await run(['--lake', empty, '--out', 'empty.html']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no aggregates in the lake yet');
    expect(readFileSync(join(scratch, 'empty.html'), 'utf8').match(/No data for this period/g)).toHaveLength(
      9,
    );
  });

  it('shows only the days from --from to --to', async () => {
    const result = await run([
      '--lake',
      lake,
      '--out',
      'week.html',
      '--from',
      '2025-03-02',
      '--to',
      '2025-03-03',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(': 2 days (2025-03-02..2025-03-03), ');
    const html = readFileSync(join(scratch, 'week.html'), 'utf8');
    expect(html).toContain('2025-03-02 to 2025-03-03');
    expect(html).not.toContain('2025-03-01');
  });

  it('leaves the other end open when only --from is given, and says so as JSON', async () => {
    const result = await run(['--lake', lake, '--out', 'late.html', '--from', '2025-03-03', '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.period).toEqual({ from: '2025-03-03', to: null });
    expect(summary.rows).toMatchObject({ dailyViewers: 1, dailyActiveUsersByDevice: 7 });
  });

  it('says when the chosen days hold no aggregates', async () => {
    const result = await run(['--lake', lake, '--out', 'none.html', '--from', '2026-01-01']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no aggregates in the lake from 2026-01-01');
  });

  it('rejects a --from or --to that is not a calendar day, and a --from after --to', async () => {
    await expect(run(['--lake', lake, '--out', 'x.html', '--from', '2025-02-30'])).rejects.toThrow(
      '--from 2025-02-30: not a calendar day as YYYY-MM-DD',
    );
    await expect(run(['--lake', lake, '--out', 'x.html', '--to', 'yesterday'])).rejects.toThrow(
      '--to yesterday: not a calendar day as YYYY-MM-DD',
    );
    await expect(
      run(['--lake', lake, '--out', 'x.html', '--from', '2025-03-03', '--to', '2025-03-02']),
    ).rejects.toThrow('--from 2025-03-03 is after --to 2025-03-02');
  });

  it('requires --lake and --out', async () => {
    await expect(run(['--out', 'x.html'])).rejects.toThrow(UsageError);
    await expect(run(['--lake', lake])).rejects.toThrow(/--out is required/);
  });
});
