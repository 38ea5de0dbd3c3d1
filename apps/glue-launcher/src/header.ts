/**
 * The header of a CSV/TSV text: its first record's fields (quotes removed, a BOM dropped). Reads
 * up to the first unquoted line break, so a prefix of the file is enough.
 *
 * @example
 * delimitedHeader('\uFEFFsession_id,"user id"\n1,2\n', ','); // ['session_id', 'user id']
 */
export function delimitedHeader(text: string, delimiter: ',' | '\t'): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (!quoted && (ch === '\n' || ch === '\r')) {
      break;
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields;
}
