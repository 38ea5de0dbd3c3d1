import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { AcceptanceError } from './errors.js';

/** Time zones a golden case runs with (`settings.json`). */
export interface GoldenSettings {
  source_tz: string;
  reporting_tz: string;
}

/** What a run over the case's lake reports, as the case expects it (`expected/etl_report.json`). */
export interface GoldenReport {
  files_failed: string[];
  files_skipped: string[];
  processed_rows: number;
  rejected_by_reason: Record<string, number>;
  rows_rejected: number;
}

/**
 * One golden case: a lake (`lake/raw/**`), its settings, and what comes out of it (`expected/`).
 * The same folders drive the test suites and the smoke runs that prove a deployed stack.
 *
 * @example
 * const c: GoldenCase = readGoldenCase('cases/basic');
 * c.days; // ['2024-03-01', ...]
 */
export interface GoldenCase {
  /** Case name, e.g. `basic`. */
  name: string;
  /** Where the case was found: the project's own cases or the contract's shared folder. */
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
 * One golden case folder (`settings.json`, `lake/raw/`, `expected/`), named after the folder. A
 * folder that is not a case is `AcceptanceError` code `not_a_case`, naming the folder.
 *
 * @example
 * const c = readGoldenCase('packages/testing/golden/fixtures/basic');
 */
export function readGoldenCase(dir: string): GoldenCase {
  const missing = ['settings.json', 'expected', join('lake', 'raw')].filter(
    (part) => !existsSync(join(dir, part)),
  );
  if (missing.length > 0) {
    throw new AcceptanceError(
      'not_a_case',
      `${dir} is not a golden case (it needs settings.json, lake/raw/ and expected/; missing ${missing.join(', ')})`,
    );
  }
  return loadCase(dir, basename(resolve(dir)), 'fixtures');
}

/**
 * Every case folder directly under `root` (a folder holding `settings.json`), in name order; a
 * missing root holds none.
 *
 * @example
 * goldenCasesIn('packages/testing/golden/fixtures', 'fixtures').map((c) => c.name);
 */
export function goldenCasesIn(root: string | undefined, origin: GoldenCase['origin']): GoldenCase[] {
  if (!root || !existsSync(root)) return [];
  return readdirSync(root)
    .filter(
      (name) => statSync(join(root, name)).isDirectory() && existsSync(join(root, name, 'settings.json')),
    )
    .sort()
    .map((name) => loadCase(join(root, name), name, origin));
}

/** Where the repository keeps its own copy of the cases, relative to its root. */
export const REPOSITORY_CASES_DIR = join('packages', 'testing', 'golden', 'fixtures');

/** The repository root above `from` (the folder holding nx.json or .git), if any. */
function repositoryRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json')) || existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The repository's golden cases, found from any folder inside it: its own copies (so a fresh
 * clone has them) and, when the repository sits beside a `shared/golden` folder of contract
 * cases, every case there. A case in both places runs once, from the shared folder (the source
 * of truth), so new shared cases are picked up without a code change.
 *
 * @example
 * for (const c of repositoryGoldenCases(import.meta.dirname)) console.log(c.name, c.origin);
 */
export function repositoryGoldenCases(from: string): GoldenCase[] {
  const root = repositoryRoot(from);
  if (root === undefined) return [];
  const shared = goldenCasesIn(resolve(root, '..', 'shared', 'golden'), 'shared');
  const sharedNames = new Set(shared.map((c) => c.name));
  const own = goldenCasesIn(join(root, REPOSITORY_CASES_DIR), 'fixtures').filter(
    (c) => !sharedNames.has(c.name),
  );
  return [...own, ...shared];
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

/**
 * Every file under `prefix` of a local lake folder (a case's `lakeDir`), as lake keys relative to
 * the lake root, in code-unit order: the order the pipeline reads a lake in.
 *
 * @example
 * lakeFolderKeys(readGoldenCase('cases/basic').lakeDir, 'raw/playback/'); // ['raw/playback/a.csv', ...]
 */
export function lakeFolderKeys(lakeDir: string, prefix: string): string[] {
  return walk(join(lakeDir, prefix))
    .map((path) => relative(lakeDir, path).split(sep).join('/'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
