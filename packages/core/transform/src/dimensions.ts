import { UNKNOWN } from '@streampulse/schema';
import type { CanonicalRecord } from './fields.js';
import { IdTable } from './id-table.js';
import { normalizeGenre, normalizeIdentifier, normalizeRegion, normalizeTitle } from './values.js';

/** What the join takes from `content_metadata`. */
export interface ContentInfo {
  readonly title: string;
  readonly genre: string;
}

/** What the join takes from `user_profiles`. */
export interface UserInfo {
  readonly region: string;
}

/** Counts of dimension rows read into a table, and of those skipped (no id, or malformed). */
export interface DimensionCounts {
  rowsRead: number;
  rowsSkipped: number;
}

/**
 * A dimension keyed by id, where the last row for an id wins. Feed files in ascending key
 * order and rows in file order to get the contract's "last one wins".
 *
 * @example
 * const content = contentDimension();
 * content.add({ content_id: 'C1', title: 'First', genre: 'drama' });
 * content.add({ content_id: 'C1', title: 'Later', genre: 'drama' });
 * content.get('C1'); // { title: 'Later', genre: 'Drama' }
 */
export class Dimension<T> {
  // Millions of user ids: an IdTable holds them in a fraction of a Map's memory.
  readonly #rows = new IdTable<T>();
  readonly counts: DimensionCounts = { rowsRead: 0, rowsSkipped: 0 };

  constructor(
    private readonly idField: 'content_id' | 'user_id',
    private readonly describe: (record: CanonicalRecord) => T,
  ) {}

  /** Adds one field-mapped record; returns false (and counts it) when it has no id. */
  add(record: CanonicalRecord): boolean {
    this.counts.rowsRead += 1;
    const id = normalizeIdentifier(record[this.idField]);
    if (id === undefined) {
      this.counts.rowsSkipped += 1;
      return false;
    }
    this.#rows.set(id, this.describe(record));
    return true;
  }

  /** Counts a malformed row of a dimension file (it is skipped). */
  skipMalformed(): void {
    this.counts.rowsRead += 1;
    this.counts.rowsSkipped += 1;
  }

  /** Adds every row of another table built from a later file (its rows win). */
  merge(later: Dimension<T>): void {
    for (const [id, value] of later.#rows.entries()) this.#rows.set(id, value);
    this.counts.rowsRead += later.counts.rowsRead;
    this.counts.rowsSkipped += later.counts.rowsSkipped;
  }

  get(id: string): T | undefined {
    return this.#rows.get(id);
  }

  get size(): number {
    return this.#rows.size;
  }
}

/** An empty `content_metadata` table (title and genre normalized as the contract says). */
export function contentDimension(): Dimension<ContentInfo> {
  return new Dimension('content_id', (record) => ({
    title: normalizeTitle(record.title),
    genre: normalizeGenre(record.genre),
  }));
}

/**
 * An empty `user_profiles` table (region normalized as the contract says). Users of one region
 * share one `UserInfo`: a table of millions of users holds a few regions, not an object per user.
 */
export function userDimension(): Dimension<UserInfo> {
  const byRegion = new Map<string, UserInfo>();
  return new Dimension('user_id', (record) => {
    const region = normalizeRegion(record.region);
    let info = byRegion.get(region);
    if (info === undefined) {
      info = { region };
      byRegion.set(region, info);
    }
    return info;
  });
}

/** Title and genre for content with no metadata row. */
export const UNKNOWN_CONTENT: ContentInfo = { title: UNKNOWN, genre: UNKNOWN };
/** Region for a user with no profile row. */
export const UNKNOWN_USER: UserInfo = { region: UNKNOWN };
