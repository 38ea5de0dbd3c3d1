/**
 * A seeded source of random edits for differential tests: the same seed gives the same picks and
 * the same edits on every machine (a linear congruential generator, no clock, no Math.random).
 * `mutate` makes one to four edits: insert one of `tokens`, delete up to five characters, or cut
 * the text short.
 *
 * @example
 * const { pick, mutate } = seededMutation(11);
 * const text = mutate(readFileSync(pick(sources), 'utf8'), ['"', ',', '\n']);
 */
export function seededMutation(seed: number): {
  random: () => number;
  pick: <T>(items: readonly T[]) => T;
  mutate: (text: string, tokens: readonly string[]) => string;
} {
  let state = seed;
  const random = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const mutate = (text: string, tokens: readonly string[]): string => {
    let out = text;
    for (let edits = 1 + Math.floor(random() * 4); edits > 0; edits--) {
      const at = Math.floor(random() * (out.length + 1));
      const edit = random();
      if (edit < 0.6) out = out.slice(0, at) + pick(tokens) + out.slice(at);
      else if (edit < 0.85) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 5));
      else out = out.slice(0, at);
    }
    return out;
  };
  return { random, pick, mutate };
}
