/**
 * A table from string ids to values, sized for millions of ids: the ids' characters live in one
 * typed array (a byte each while every id is Latin-1) and the index in others, so 200,000
 * seven-character ids take about 7 MB where a `Map` keyed by strings takes 11.7 MB (a string
 * object per id, three words per entry). Each distinct value (by `SameValueZero`) is stored once
 * and kept for the table's life, replaced or not: fit for dimensions, whose values are a few
 * shared ones (regions) or about one per id.
 *
 * @example
 * const users = new IdTable<string>();
 * users.set('U1', 'North');
 * users.set('U1', 'South'); // the later value wins
 * users.get('U1'); // 'South'
 */
export class IdTable<T> {
  /** The ids' UTF-16 code units, one after another: bytes until an id needs more. */
  #chars: Uint8Array | Uint16Array = new Uint8Array(1 << 10);
  /** Entry i's id is `#chars[#starts[i], #starts[i + 1])`. */
  #starts = new Uint32Array(1 << 7);
  #hashes = new Uint32Array(1 << 7);
  /** Entry i's value is `#values[#valueOf[i]]`: a dimension holds few distinct values (regions). */
  #valueOf = new Uint32Array(1 << 7);
  #values: T[] = [];
  #indexOfValue = new Map<T, number>();
  /** Open addressing: an entry's index plus one, 0 for an empty slot; at most three quarters full. */
  #slots = new Int32Array(1 << 8);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(id: string): T | undefined {
    const entry = this.#find(id, hashId(id));
    return entry < 0 ? undefined : this.#values[this.#valueOf[entry] as number];
  }

  /** Sets the value of `id`, replacing any earlier one. */
  set(id: string, value: T): void {
    const hash = hashId(id);
    const entry = this.#find(id, hash);
    if (entry >= 0) this.#valueOf[entry] = this.#indexOf(value);
    else this.#append(id, hash, value);
  }

  /** Every id and its value, in the order the ids were first set. */
  *entries(): IterableIterator<[string, T]> {
    for (let entry = 0; entry < this.#size; entry++) {
      yield [this.#idOf(entry), this.#values[this.#valueOf[entry] as number] as T];
    }
  }

  #find(id: string, hash: number): number {
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = (this.#slots[slot] as number) - 1;
      if (entry < 0) return -1;
      if (this.#hashes[entry] === hash && this.#holds(entry, id)) return entry;
    }
  }

  #holds(entry: number, id: string): boolean {
    const start = this.#starts[entry] as number;
    if ((this.#starts[entry + 1] as number) - start !== id.length) return false;
    for (let i = 0; i < id.length; i++) {
      if (this.#chars[start + i] !== id.charCodeAt(i)) return false;
    }
    return true;
  }

  #idOf(entry: number): string {
    const end = this.#starts[entry + 1] as number;
    let id = '';
    // In slices: a spread of a very long id would overflow the stack.
    for (let at = this.#starts[entry] as number; at < end; at += 4096) {
      id += String.fromCharCode(...this.#chars.subarray(at, Math.min(end, at + 4096)));
    }
    return id;
  }

  #append(id: string, hash: number, value: T): void {
    const entry = this.#size;
    const start = this.#starts[entry] as number;
    if (start + id.length > this.#chars.length) {
      this.#chars = grown(this.#chars, start + id.length);
    }
    for (let i = 0; i < id.length; i++) {
      const code = id.charCodeAt(i);
      if (code > 0xff && this.#chars instanceof Uint8Array) this.#chars = Uint16Array.from(this.#chars);
      this.#chars[start + i] = code;
    }
    if (entry + 2 > this.#starts.length) {
      this.#starts = grown(this.#starts, entry + 2);
      this.#hashes = grown(this.#hashes, entry + 2);
      this.#valueOf = grown(this.#valueOf, entry + 2);
    }
    this.#starts[entry + 1] = start + id.length;
    this.#hashes[entry] = hash;
    this.#valueOf[entry] = this.#indexOf(value);
    this.#size += 1;
    if (this.#size * 4 > this.#slots.length * 3) this.#rehash();
    else this.#place(entry);
  }

  /** Twice the slots, every entry placed again from its stored hash. */
  #rehash(): void {
    this.#slots = new Int32Array(this.#slots.length * 2);
    for (let entry = 0; entry < this.#size; entry++) this.#place(entry);
  }

  #indexOf(value: T): number {
    let index = this.#indexOfValue.get(value);
    if (index === undefined) {
      index = this.#values.length;
      this.#values.push(value);
      this.#indexOfValue.set(value, index);
    }
    return index;
  }

  #place(entry: number): void {
    const mask = this.#slots.length - 1;
    let slot = (this.#hashes[entry] as number) & mask;
    while (this.#slots[slot] !== 0) slot = (slot + 1) & mask;
    this.#slots[slot] = entry + 1;
  }
}

function grown<A extends Uint8Array | Uint16Array | Uint32Array>(array: A, needed: number): A {
  let length = array.length * 2;
  while (length < needed) length *= 2;
  const larger = new (array.constructor as new (length: number) => A)(length);
  larger.set(array);
  return larger;
}

/**
 * A 32-bit hash of an id, never 0: FNV-1a over the UTF-16 code units, its low bits mixed so that
 * ids differing only in their last characters spread over a table indexed by them.
 *
 * @example
 * hashId('S20250301-0091022'); // a number in [1, 2**32)
 */
export function hashId(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  hash ^= hash >>> 12;
  return hash >>> 0 || 1;
}
