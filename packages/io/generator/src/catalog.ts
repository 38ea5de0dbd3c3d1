import { AliasTable, type Random } from './random.js';

/** One title of the generated catalog. */
export interface ContentItem {
  readonly id: string;
  readonly title: string;
  /** One or more genres; the first is the one the pipeline keeps. */
  readonly genres: readonly string[];
  readonly releaseYear: number;
  readonly runtimeMin: number;
  readonly language: string;
}

/** A catalog: its titles, how popular each is, and the renames a later metadata file carries. */
export interface Catalog {
  readonly items: readonly ContentItem[];
  /** Draws an item index, Zipf-like: a few titles take most of the viewing. */
  readonly popularity: AliasTable;
  /** Items renamed by the later update file: index and new title. */
  readonly renames: readonly { readonly index: number; readonly title: string }[];
}

/** Primary genres and how common they are in the catalog. */
const GENRES: readonly (readonly [string, number])[] = [
  ['Drama', 18],
  ['Comedy', 15],
  ['Action', 14],
  ['Thriller', 12],
  ['Romance', 10],
  ['Crime', 6],
  ['Kids', 7],
  ['Documentary', 5],
  ['Horror', 4],
  ['Sci-Fi', 4],
  ['Reality', 3],
  ['Sports', 2],
];
const SECOND_GENRES = ['Adventure', 'Family', 'Mystery', 'Musical', 'History', 'Fantasy'];
const LANGUAGES = ['Hindi', 'English', 'Tamil', 'Telugu', 'Malayalam', 'Bengali', 'Marathi', 'Kannada'];

const ADJECTIVES = [
  'Last',
  'Silent',
  'Midnight',
  'Golden',
  'Broken',
  'Hidden',
  'Crimson',
  'Endless',
  'Lost',
  'Wild',
  'Burning',
  'Paper',
  'Monsoon',
  'Electric',
  'Quiet',
  'Velvet',
  'Iron',
  'Neon',
  'Distant',
  'Little',
];
const NOUNS = [
  'Monsoon',
  'Highway',
  'Kingdom',
  'Promise',
  'Letters',
  'Station',
  'Harbour',
  'Detective',
  'Wedding',
  'Summer',
  'Frontier',
  'Signal',
  'Orchard',
  'Circus',
  'Empire',
  'Tide',
  'Bazaar',
  'Heist',
  'Garden',
  'Echo',
];
const PLACES = ['Mumbai', 'Kochi', 'Jaipur', 'Shillong', 'Goa', 'Delhi', 'Madurai', 'Kolkata', 'Pune', 'Leh'];

/**
 * Titles with the characters that break careless HTML, CSV and SQL: they sit near the top of
 * the popularity ranking so dashboards and exports show them.
 *
 * @example
 * expect(html).toContain(escapeHtml(TRICKY_TITLES[0])); // 'Chai &amp; &quot;Chaos&quot;'
 */
export const TRICKY_TITLES: readonly string[] = [
  'Chai & "Chaos"',
  'Love, Loss & Lassi',
  '<Redacted> Files',
  "Rock 'n' Roll Dhaba",
];

function inventTitle(random: Random): string {
  switch (random.int(5)) {
    case 0:
      return `The ${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
    case 1:
      return `${random.pick(NOUNS)} of ${random.pick(PLACES)}`;
    case 2:
      return `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}: Season ${random.between(1, 5)}`;
    case 3:
      return `${random.pick(ADJECTIVES)} in ${random.pick(PLACES)}`;
    default:
      return `${random.pick(PLACES)} ${random.pick(NOUNS)}`;
  }
}

/**
 * Builds a catalog of `size` titles with ids `C00001`...: genres weighted like a general
 * entertainment service, about a third with a second genre (`Action, Adventure`), and
 * Zipf-distributed popularity (exponent 1.1) over a shuffled ranking. A few titles
 * (2%, at least 3) get a new name in a later metadata update.
 *
 * @example
 * const catalog = buildCatalog(400, new Random(42).fork('catalog'));
 * catalog.items[catalog.popularity.sample(random)].title;
 */
export function buildCatalog(size: number, random: Random): Catalog {
  if (!Number.isInteger(size) || size < TRICKY_TITLES.length) {
    throw new RangeError(`a catalog needs at least ${TRICKY_TITLES.length} titles, got ${size}`);
  }
  const genreTable = new AliasTable(GENRES.map(([, weight]) => weight));
  const seen = new Set<string>();
  const items: ContentItem[] = [];
  for (let i = 0; i < size; i += 1) {
    let title = inventTitle(random);
    for (let n = 2; seen.has(title); n += 1) title = `${inventTitle(random)}${n > 4 ? ` ${n}` : ''}`;
    seen.add(title);
    const primary = (GENRES[genreTable.sample(random)] as readonly [string, number])[0];
    const genres = random.chance(0.35) ? [primary, random.pick(SECOND_GENRES)] : [primary];
    items.push({
      id: `C${String(i + 1).padStart(5, '0')}`,
      title,
      genres,
      releaseYear: random.between(1995, 2025),
      runtimeMin: random.between(22, 170),
      language: random.pick(LANGUAGES),
    });
  }
  // Rank r (0 = most watched) weighs 1 / (r+1)^1.1; tricky titles take ranks 1, 4, 8 and 15.
  const ranking = random.shuffle(items.map((_, i) => i));
  TRICKY_TITLES.forEach((title, t) => {
    const rank = [1, 4, 8, 15][t] as number;
    const index = ranking[rank] as number;
    items[index] = { ...(items[index] as ContentItem), title };
  });
  const weights = new Float64Array(size);
  ranking.forEach((index, rank) => (weights[index] = 1 / Math.pow(rank + 1, 1.1)));

  const renameCount = Math.max(3, Math.round(size * 0.02));
  const suffixes = [": Director's Cut", ' (Remastered)', ' - Extended Edition', ': Reloaded'];
  const renames = random
    .shuffle(items.map((_, i) => i))
    .slice(0, renameCount)
    .map((index) => ({ index, title: `${(items[index] as ContentItem).title}${random.pick(suffixes)}` }));
  return { items, popularity: new AliasTable(weights), renames };
}
