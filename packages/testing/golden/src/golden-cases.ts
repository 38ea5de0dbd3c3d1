import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Time zones a golden case runs with (`settings.json`). */
export interface GoldenSettings {
  source_tz: string;
  reporting_tz: string;
}

/** What the contract says a run over the case's lake reports (`expected/etl_report.json`). */
export interface GoldenReport {
  files_failed: string[];
  files_skipped: string[];
  processed_rows: number;
  rejected_by_reason: Record<string, number>;
  rows_rejected: number;
}

/**
 * The fields of a run report the contract fixes for a whole run, without `processed_rows`: what a
 * test compares between a run's report and `expected/etl_report.json`.
 *
 * @example
 * expect(contractReportOf(report)).toEqual(contractReportOf(golden.report));
 */
export function contractReportOf(
  report: Pick<GoldenReport, 'files_failed' | 'files_skipped' | 'rejected_by_reason' | 'rows_rejected'>,
): Omit<GoldenReport, 'processed_rows'> {
  return {
    files_failed: report.files_failed,
    files_skipped: report.files_skipped,
    rejected_by_reason: report.rejected_by_reason,
    rows_rejected: report.rows_rejected,
  };
}

/** One golden case: a lake, its settings and what comes out of it. */
export interface GoldenCase {
  /** Case name, e.g. `basic`. */
  name: string;
  /** Where the case was found: the project's own fixtures or `../shared/golden`. */
  origin: 'fixtures' | 'shared';
  dir: string;
  /** The lake root (holds `raw/`). */
  lakeDir: string;
  settings: GoldenSettings;
  report: GoldenReport;
  /** `expected/processed_data.csv`, as text. */
  processedCsv: string;
  /** Every event_date with expected aggregates, ascending. */
  days: string[];
  /** `expected/daily_engagement/<day>.csv` as text. */
  engagementCsv(day: string): string;
  /** `expected/daily_active_users/<day>.csv` as text. */
  activeUsersCsv(day: string): string;
}

const here = dirname(fileURLToPath(import.meta.url));
const fixturesDir = resolve(here, '..', 'fixtures');

/** Walks up from this package to find the repository's sibling `../shared/golden`, if any. */
function sharedGoldenDir(): string | undefined {
  let dir = here;
  for (;;) {
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, 'nx.json'))) {
      const candidate = resolve(dir, '..', 'shared', 'golden');
      return existsSync(candidate) ? candidate : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function loadCase(dir: string, name: string, origin: GoldenCase['origin']): GoldenCase {
  const read = (...parts: string[]): string => readFileSync(join(dir, ...parts), 'utf8');
  const engagementDir = join(dir, 'expected', 'daily_engagement');
  const days = existsSync(engagementDir)
    ? readdirSync(engagementDir)
        .filter((f) => f.endsWith('.csv'))
        .map((f) => f.slice(0, -4))
        .sort()
    : [];
  return {
    name,
    origin,
    dir,
    lakeDir: join(dir, 'lake'),
    settings: JSON.parse(read('settings.json')) as GoldenSettings,
    report: JSON.parse(read('expected', 'etl_report.json')) as GoldenReport,
    processedCsv: read('expected', 'processed_data.csv'),
    days,
    engagementCsv: (day) => read('expected', 'daily_engagement', `${day}.csv`),
    activeUsersCsv: (day) => read('expected', 'daily_active_users', `${day}.csv`),
  };
}

/**
 * One golden case folder (`settings.json`, `lake/`, `expected/`), named after the folder. A folder
 * without `settings.json` throws, naming the folder.
 *
 * @example
 * const c = readGoldenCase('packages/testing/golden/fixtures/basic');
 */
export function readGoldenCase(dir: string): GoldenCase {
  if (!existsSync(join(dir, 'settings.json')) || !existsSync(join(dir, 'expected'))) {
    throw new Error(`${dir} is not a golden case (it needs settings.json and expected/)`);
  }
  return loadCase(dir, basename(resolve(dir)), 'fixtures');
}

function casesIn(root: string | undefined, origin: GoldenCase['origin']): GoldenCase[] {
  if (!root || !existsSync(root)) return [];
  return readdirSync(root)
    .filter(
      (name) => statSync(join(root, name)).isDirectory() && existsSync(join(root, name, 'settings.json')),
    )
    .sort()
    .map((name) => loadCase(join(root, name), name, origin));
}

/**
 * Every golden case: the project's fixtures (copied from the contract's cases, so a fresh clone
 * has them) and, when the repository sits beside `../shared/golden`, every case found there.
 * A case found in both places runs once, from `../shared` (the source of truth); new shared
 * cases are picked up without a code change.
 *
 * @example
 * for (const c of goldenCases()) it(`matches ${c.name}`, () => { ... });
 */
export function goldenCases(): GoldenCase[] {
  const shared = casesIn(sharedGoldenDir(), 'shared');
  const sharedNames = new Set(shared.map((c) => c.name));
  const own = casesIn(fixturesDir, 'fixtures').filter((c) => !sharedNames.has(c.name));
  return [...own, ...shared];
}

/** A lake file as the pure pipeline reads it: its key and a stream of its bytes. */
export interface LakeFile {
  key: string;
  open(): AsyncIterable<Uint8Array>;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

/**
 * Every file under `prefix` of a local lake folder, with keys relative to the lake root
 * (test support for the pure packages, which read no files themselves).
 *
 * @example
 * const playback = lakeFiles(c.lakeDir, 'raw/playback/');
 */
export function lakeFiles(lakeDir: string, prefix: string): LakeFile[] {
  return walk(join(lakeDir, prefix))
    .map((path) => ({
      key: relative(lakeDir, path).split(sep).join('/'),
      open: () => createReadStream(path) as AsyncIterable<Uint8Array>,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
