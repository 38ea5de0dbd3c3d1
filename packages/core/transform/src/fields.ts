/** Canonical fields of the three raw datasets. */
export const CANONICAL_FIELDS = [
  'session_id',
  'user_id',
  'content_id',
  'device_type',
  'start_time',
  'end_time',
  'title',
  'genre',
  'region',
] as const;

/** A canonical field name. */
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/**
 * Accepted source names per canonical field, already folded (see {@link foldFieldName}).
 * Exported as data so other engines (SQL renderings) can be generated from the same table.
 */
export const FIELD_ALIASES: Readonly<Record<CanonicalField, readonly string[]>> = {
  session_id: ['sessionid', 'playbackid'],
  user_id: ['userid', 'customerid', 'viewerid'],
  content_id: ['contentid', 'videoid', 'titleid', 'assetid'],
  device_type: ['devicetype', 'device', 'platform'],
  start_time: ['starttime', 'start', 'startedat', 'startts', 'sessionstart'],
  end_time: ['endtime', 'end', 'endedat', 'endts', 'sessionend'],
  title: ['title', 'name', 'contenttitle'],
  genre: ['genre', 'genres', 'category'],
  region: ['region', 'userregion', 'georegion', 'location'],
};

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

/**
 * Folds a header name or JSON key for matching: lower-case, every character that is not a
 * letter or digit removed.
 *
 * @example
 * foldFieldName('Session ID'); // 'sessionid'
 * foldFieldName('sessionId');  // 'sessionid'
 */
export function foldFieldName(name: string): string {
  return name.toLowerCase().replace(NOT_LETTER_OR_DIGIT, '');
}

const canonicalByFolded: ReadonlyMap<string, CanonicalField> = new Map(
  CANONICAL_FIELDS.flatMap((field) => FIELD_ALIASES[field].map((alias) => [alias, field] as const)),
);

/**
 * The canonical field a source name stands for, or undefined when the column is ignored.
 *
 * @example
 * canonicalFieldOf('Viewer ID'); // 'user_id'
 * canonicalFieldOf('release_year'); // undefined
 */
export function canonicalFieldOf(name: string): CanonicalField | undefined {
  return canonicalByFolded.get(foldFieldName(name));
}

/** Canonical field -> the value of the first source column (by position) that maps to it. */
export type CanonicalRecord = Partial<Record<CanonicalField, unknown>>;

/**
 * Maps a record's names and values to canonical fields. When two columns fold to the same
 * field, the first by position wins, even where its value is missing. A CSV file's records share
 * one `names` array, so the column plan is worked out once per file, not once per row.
 *
 * @example
 * const mapper = new FieldMapper();
 * mapper.map(['Start', 'start_time'], ['', '2025-03-10T10:00:00Z']); // { start_time: '' }
 */
export class FieldMapper {
  readonly #byName = new Map<string, CanonicalField | null>();
  #planFor: readonly string[] | undefined;
  #plan: readonly (readonly [CanonicalField, number])[] = [];

  map(names: readonly string[], values: readonly unknown[]): CanonicalRecord {
    if (names !== this.#planFor) {
      // A CSV file's records share one header array; JSON records each have their own, but
      // nearly always the same names as the record before, whose plan then still holds.
      if (!sameNames(names, this.#planFor)) this.#plan = this.#planOf(names);
      this.#planFor = names;
    }
    const record: CanonicalRecord = {};
    for (const [field, index] of this.#plan) record[field] = values[index];
    return record;
  }

  /** Which column feeds each canonical field: the first one, by position, that maps to it. */
  #planOf(names: readonly string[]): [CanonicalField, number][] {
    const plan: [CanonicalField, number][] = [];
    const taken = new Set<CanonicalField>();
    names.forEach((name, index) => {
      let field = this.#byName.get(name);
      if (field === undefined) {
        field = canonicalFieldOf(name) ?? null;
        this.#byName.set(name, field);
      }
      if (field !== null && !taken.has(field)) {
        taken.add(field);
        plan.push([field, index]);
      }
    });
    return plan;
  }
}

function sameNames(names: readonly string[], earlier: readonly string[] | undefined): boolean {
  if (earlier === undefined || names.length !== earlier.length) return false;
  for (let i = 0; i < names.length; i++) if (names[i] !== earlier[i]) return false;
  return true;
}
