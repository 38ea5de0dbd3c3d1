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
  /** The column of each canonical field, in `CANONICAL_FIELDS` order; -1 where none maps to it. */
  #columnOf: readonly number[] = CANONICAL_FIELDS.map(() => -1);

  map(names: readonly string[], values: readonly unknown[]): CanonicalRecord {
    if (names !== this.#planFor) {
      // A CSV file's records share one header array; JSON records each have their own, but
      // nearly always the same names as the record before, whose plan then still holds.
      if (!sameNames(names, this.#planFor)) this.#columnOf = this.#planOf(names);
      this.#planFor = names;
    }
    const at = this.#columnOf as [number, number, number, number, number, number, number, number, number];
    // Every record gets every field, undefined where absent: one object shape for all records,
    // so the rules that read them see one shape too.
    return {
      session_id: at[0] < 0 ? undefined : values[at[0]],
      user_id: at[1] < 0 ? undefined : values[at[1]],
      content_id: at[2] < 0 ? undefined : values[at[2]],
      device_type: at[3] < 0 ? undefined : values[at[3]],
      start_time: at[4] < 0 ? undefined : values[at[4]],
      end_time: at[5] < 0 ? undefined : values[at[5]],
      title: at[6] < 0 ? undefined : values[at[6]],
      genre: at[7] < 0 ? undefined : values[at[7]],
      region: at[8] < 0 ? undefined : values[at[8]],
    };
  }

  /** Which column feeds each canonical field: the first one, by position, that maps to it. */
  #planOf(names: readonly string[]): number[] {
    const columnOf = CANONICAL_FIELDS.map(() => -1);
    names.forEach((name, index) => {
      let field = this.#byName.get(name);
      if (field === undefined) {
        field = canonicalFieldOf(name) ?? null;
        this.#byName.set(name, field);
      }
      if (field === null) return;
      const position = CANONICAL_FIELDS.indexOf(field);
      if (columnOf[position] === -1) columnOf[position] = index;
    });
    return columnOf;
  }
}

function sameNames(names: readonly string[], earlier: readonly string[] | undefined): boolean {
  if (earlier === undefined || names.length !== earlier.length) return false;
  for (let i = 0; i < names.length; i++) if (names[i] !== earlier[i]) return false;
  return true;
}
