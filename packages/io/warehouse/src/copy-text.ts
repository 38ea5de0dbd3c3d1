import { PROCESSED_COLUMNS } from '@streampulse/schema';

/**
 * The columns `CopyTextWriter#fields` writes, in its order (before `seq`): the processed table's, in
 * table order.
 */
export const COPY_COLUMNS: readonly string[] = PROCESSED_COLUMNS.map((column) => column.name);

/**
 * Escapes one value for PostgreSQL's COPY text format: backslash, tab, newline and carriage
 * return are the only characters the format gives meaning to. `\N` in the data becomes `\\N`,
 * a literal string, never NULL.
 */
export function escapeCopyText(value: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const escaped = escapeOf(value.charCodeAt(i));
    if (escaped === undefined) continue;
    out += value.slice(from, i) + escaped;
    from = i + 1;
  }
  return from === 0 ? value : out + value.slice(from);
}

function escapeOf(code: number): string | undefined {
  switch (code) {
    case 0x5c:
      return '\\\\';
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    default:
      return undefined;
  }
}
