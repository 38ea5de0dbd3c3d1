// How the DuckDB engine rebuilds a CSV record as the quarantine stores it; the keys and the
// quarantine lines themselves come from the reference decoder and the default engine.

/** A CSV record's raw object (a `__proto__` header stays a plain key). */
export function rawObject(keys: readonly string[], values: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  keys.forEach((key, i) => {
    Object.defineProperty(raw, key, {
      value: values[i],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return raw;
}
