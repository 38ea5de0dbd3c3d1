/**
 * A seeded source of uniform numbers in [0, 1). Everything the generator draws comes from one,
 * so the same seed writes the same bytes.
 *
 * @example
 * const source: RandomSource = new Random(42);
 */
export interface RandomSource {
  next(): number;
}

/** 32-bit FNV-1a over a text, for turning labels into seeds. */
function fnv1a(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A small, fast, seeded PRNG (mulberry32) with the draws the generator needs. Not for
 * cryptography; its point is reproducibility across machines and Node versions.
 *
 * @example
 * const random = new Random(42);
 * random.int(6); // 0..5, the same on every run with seed 42
 * const dirt = random.fork('dirt'); // an independent stream, unaffected by later draws here
 */
export class Random implements RandomSource {
  #state: number;
  readonly #seed: number;
  #spareNormal: number | undefined;

  constructor(seed: number) {
    this.#seed = seed >>> 0;
    this.#state = this.#seed;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An independent stream named by `label`; the same seed and label give the same stream. */
  fork(label: string): Random {
    return new Random(fnv1a(label, fnv1a(String(this.#seed))));
  }

  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick: empty list');
    return items[this.int(items.length)] as T;
  }

  /** A standard normal draw (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    const spare = this.#spareNormal;
    if (spare !== undefined) {
      this.#spareNormal = undefined;
      return spare;
    }
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.#spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** A log-normal draw with the given median and shape (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** The items in a random order (a new array; Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }
}

/**
 * Weighted choice in constant time per draw (Walker's alias method), for picking among
 * thousands of users or titles millions of times.
 *
 * @example
 * const table = new AliasTable([5, 1, 1]);
 * table.sample(random); // 0 about 5 times in 7
 */
export class AliasTable {
  readonly #probability: Float64Array;
  readonly #alias: Uint32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError('AliasTable: no weights');
    let total = 0;
    for (let i = 0; i < n; i += 1) {
      const weight = weights[i] as number;
      if (!(weight >= 0) || !Number.isFinite(weight))
        throw new RangeError(`AliasTable: bad weight ${weight}`);
      total += weight;
    }
    if (total <= 0) throw new RangeError('AliasTable: weights sum to zero');
    this.#probability = new Float64Array(n);
    this.#alias = new Uint32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i += 1) {
      scaled[i] = ((weights[i] as number) * n) / total;
      ((scaled[i] as number) < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const less = small.pop() as number;
      const more = large.pop() as number;
      this.#probability[less] = scaled[less] as number;
      this.#alias[less] = more;
      scaled[more] = (scaled[more] as number) + (scaled[less] as number) - 1;
      ((scaled[more] as number) < 1 ? small : large).push(more);
    }
    // Left-overs are 1 up to rounding error.
    for (const i of [...small, ...large]) this.#probability[i] = 1;
  }

  get size(): number {
    return this.#probability.length;
  }

  /** An index drawn with probability proportional to its weight. */
  sample(random: RandomSource): number {
    const u = random.next() * this.#probability.length;
    const i = Math.floor(u);
    return u - i < (this.#probability[i] as number) ? i : (this.#alias[i] as number);
  }
}
