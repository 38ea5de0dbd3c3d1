import { encodeCsvRow } from '@streampulse/formats';
import { LAKE_LAYOUT } from '@streampulse/schema';
import { addDays } from './calendar.js';
import type { Catalog, ContentItem } from './catalog.js';
import { styleName, type HeaderStyle } from './names.js';
import { PLANS, REGIONS, userId, type Population } from './population.js';
import type { Random } from './random.js';

/** One file to write: its key, its text in pieces (drawn lazily, once), and whether to gzip it. */
export interface PlannedFile {
  readonly key: string;
  readonly gzip: boolean;
  readonly pieces: () => Iterable<string>;
  /** Records written so far (complete once the pieces are drawn). */
  readonly rows: () => number;
}

/** Keys of the dimension files, in the order the pipeline reads them (ascending). */
export const DIMENSION_KEYS = {
  catalog: `${LAKE_LAYOUT.contentMetadata}catalog-0001.csv`,
  catalogUpdates: `${LAKE_LAYOUT.contentMetadata}catalog-0002-updates.jsonl.gz`,
  usersCsv: `${LAKE_LAYOUT.userProfiles}users-0001.csv`,
  usersJson: `${LAKE_LAYOUT.userProfiles}users-0002.json`,
} as const;

/** Share of users in the CSV part; the rest come in the JSON part. */
const CSV_USER_SHARE = 0.85;

/** Spacing and casing a careless export gives a name; each normalizes back to it. */
function scruffy(value: string, random: Random): string {
  switch (random.int(4)) {
    case 0:
      return value.toUpperCase();
    case 1:
      return value.toLowerCase();
    case 2:
      return `  ${value.replaceAll(' ', '   ')} `;
    default:
      return ` ${value.toLowerCase().replaceAll(' ', '  ')}`;
  }
}

const header = (dirty: boolean, random: Random, names: readonly [clean: string, dirtyFolded: string][]) =>
  names.map(([clean, folded]) =>
    dirty ? styleName(folded, random.pick<HeaderStyle>(['title', 'camel', 'upper'])) : clean,
  );

/**
 * The user profile files: a CSV part with most users and a JSON array part with the rest
 * (user_id, region, plan, signup_date). With `dirtyRate` > 0, headers use aliases
 * (`Customer ID`, `userRegion`), a share of regions are oddly cased or spaced or missing
 * (`N/A`), and each part gets a row without an id, which the pipeline skips.
 *
 * @example
 * for (const file of userProfileFiles(population, '2025-03-01', 0.02, random)) await write(file);
 */
export function userProfileFiles(
  population: Population,
  startDate: string,
  dirtyRate: number,
  random: Random,
): PlannedFile[] {
  const dirty = dirtyRate > 0;
  const split = Math.max(1, Math.floor(population.size * CSV_USER_SHARE));
  const regionOf = (i: number): string | null => {
    const region = (REGIONS[population.region[i] as number] as readonly [string, number])[0];
    if (!dirty || !random.chance(dirtyRate * 2)) return region;
    return random.chance(0.2) ? random.pick([null, 'N/A', '']) : scruffy(region, random);
  };
  const fields = (i: number) => ({
    id: userId(i),
    region: regionOf(i),
    plan: (PLANS[population.plan[i] as number] as readonly [string, number])[0],
    signup: addDays(startDate, -(population.signupDaysAgo[i] as number)),
  });

  const csvNames = header(dirty, random, [
    ['user_id', 'customerid'],
    ['region', 'userregion'],
    ['plan', 'plan'],
    ['signup_date', 'signupdate'],
  ]);
  const jsonNames = header(dirty, random, [
    ['user_id', 'viewerid'],
    ['region', 'georegion'],
    ['plan', 'plan'],
    ['signup_date', 'signupdate'],
  ]);
  let csvRows = 0;
  let jsonRows = 0;
  function* csvPieces(): Generator<string> {
    yield encodeCsvRow(csvNames) + '\n';
    for (let i = 0; i < split; i += 1) {
      const f = fields(i);
      csvRows += 1;
      yield encodeCsvRow([f.id, f.region ?? '', f.plan, f.signup]) + '\n';
      if (dirty && i === Math.floor(split / 2)) {
        csvRows += 1;
        yield encodeCsvRow(['', 'South', 'Free', f.signup]) + '\n';
      }
    }
  }
  const element = (values: readonly unknown[]): string =>
    (jsonRows++ === 0 ? '\n' : ',\n') +
    JSON.stringify(Object.fromEntries(jsonNames.map((name, c) => [name, values[c]])));
  function* jsonPieces(): Generator<string> {
    yield '[';
    for (let i = split; i < population.size; i += 1) {
      const f = fields(i);
      yield element([f.id, f.region, f.plan, f.signup]);
    }
    if (dirty) yield element([null, 'West', 'Basic', startDate]);
    yield '\n]\n';
  }
  return [
    { key: DIMENSION_KEYS.usersCsv, gzip: false, pieces: csvPieces, rows: () => csvRows },
    { key: DIMENSION_KEYS.usersJson, gzip: false, pieces: jsonPieces, rows: () => jsonRows },
  ];
}

/**
 * The content metadata files: the catalog as CSV (content_id, title, genre, release_year,
 * runtime_min, language; genre lists such as `Action, Adventure`), then a later update as
 * gzipped JSON Lines that renames a few titles, which wins since it comes later in key order.
 * With `dirtyRate` > 0, headers use aliases (`Asset ID`, `contentTitle`), some titles carry
 * extra white space, some genre lists are upper-cased and `|`-separated or missing, and a row
 * without an id is added.
 *
 * @example
 * const [catalogCsv, updates] = contentMetadataFiles(catalog, 0.02, random);
 */
export function contentMetadataFiles(catalog: Catalog, dirtyRate: number, random: Random): PlannedFile[] {
  const dirty = dirtyRate > 0;
  const genreText = (item: ContentItem): string => {
    if (!dirty || !random.chance(dirtyRate * 2)) return item.genres.join(', ');
    return random.chance(0.25) ? random.pick(['', 'N/A', 'none']) : item.genres.join('|').toUpperCase();
  };
  const titleText = (title: string): string =>
    dirty && random.chance(dirtyRate * 2) ? `  ${title.replaceAll(' ', '  ')}\t` : title;

  const names = header(dirty, random, [
    ['content_id', 'assetid'],
    ['title', 'contenttitle'],
    ['genre', 'genres'],
    ['release_year', 'releaseyear'],
    ['runtime_min', 'runtimemin'],
    ['language', 'language'],
  ]);
  const updateNames = header(dirty, random, [
    ['content_id', 'videoid'],
    ['title', 'name'],
    ['genre', 'category'],
  ]);
  let catalogRows = 0;
  function* catalogPieces(): Generator<string> {
    yield encodeCsvRow(names) + '\n';
    for (const item of catalog.items) {
      const cells = [item.id, titleText(item.title), genreText(item)];
      catalogRows += 1;
      yield encodeCsvRow([...cells, String(item.releaseYear), String(item.runtimeMin), item.language]) + '\n';
      if (dirty && catalogRows === 1) {
        catalogRows += 1;
        yield encodeCsvRow(['N/A', 'Untitled Pilot', 'Drama', '2024', '30', 'Hindi']) + '\n';
      }
    }
  }
  function* updatePieces(): Generator<string> {
    for (const { index, title } of catalog.renames) {
      const item = catalog.items[index] as ContentItem;
      const values = [item.id, title, item.genres.join(', ')];
      yield JSON.stringify(Object.fromEntries(updateNames.map((name, c) => [name, values[c]]))) + '\n';
    }
  }
  return [
    { key: DIMENSION_KEYS.catalog, gzip: false, pieces: catalogPieces, rows: () => catalogRows },
    {
      key: DIMENSION_KEYS.catalogUpdates,
      gzip: true,
      pieces: updatePieces,
      rows: () => catalog.renames.length,
    },
  ];
}
