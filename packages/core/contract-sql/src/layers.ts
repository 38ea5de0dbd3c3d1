/** One SELECT layer of a plan: the items it adds to every column of the layer below. */
export interface Layer {
  readonly items: readonly string[];
}

/** SELECT layers nested over `from`, so each item is computed once per row and read by the next. */
export function nest(from: string, layers: readonly Layer[], alias: string, fence = ''): string {
  return layers.reduce(
    (inner, layer, index) =>
      `SELECT *, ${layer.items.join(', ')} FROM (${inner}${fence}) AS ${alias}${index}`,
    `SELECT * FROM (${from}) AS ${alias}`,
  );
}
