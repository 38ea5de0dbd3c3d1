/**
 * `buf.indexOf(search, from)`, but `buf.length` when not found, so "the next line end" and "the
 * next quote" compare directly with `<` (absent means after everything).
 */
export function indexOrEnd(buf: string, search: string, from: number): number {
  const index = buf.indexOf(search, from);
  return index === -1 ? buf.length : index;
}
