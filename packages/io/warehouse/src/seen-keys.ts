import { hashId } from '@streampulse/transform';

/**
 * The session ids a file has shown so far, kept as 32-bit hashes in one typed array: a few bytes a
 * key, where a `Set` of strings would hold every id of a file of millions of rows. It can answer
 * "seen" for a key it never saw (two ids with one hash, about one key in 10,000 at a million keys),
 * never "not seen" for a key it saw, so a caller may only act on "not seen" as a certainty.
 */
export class SeenKeys {
  #slots = new Uint32Array(1 << 12);
  #size = 0;

  /** Records `key`; answers whether it (or a key of the same hash) was recorded before. */
  add(key: string): boolean {
    const hash = hashId(key);
    let mask = this.#slots.length - 1;
    let at = hash & mask;
    for (;;) {
      const slot = this.#slots[at] as number;
      if (slot === 0) break;
      if (slot === hash) return true;
      at = (at + 1) & mask;
    }
    this.#slots[at] = hash;
    this.#size += 1;
    // Grown at three quarters full, so a probe stays short.
    if (this.#size * 4 > this.#slots.length * 3) {
      const old = this.#slots;
      this.#slots = new Uint32Array(old.length * 2);
      mask = this.#slots.length - 1;
      for (const value of old) {
        if (value === 0) continue;
        let to = value & mask;
        while (this.#slots[to] !== 0) to = (to + 1) & mask;
        this.#slots[to] = value;
      }
    }
    return false;
  }
}
