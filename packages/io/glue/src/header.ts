import { csvHeader } from '@streampulse/formats';

/**
 * The header of a CSV/TSV text, as the contract's reader takes it: its first record that is not
 * an empty line (quotes removed, a BOM dropped). A prefix of the file holding that record is
 * enough. A text with no header, or a quoting error before its end, gives `[]`: the plan then
 * reads the file itself and fails it as the contract does.
 *
 * @example
 * delimitedHeader('\uFEFFsession_id,"user id"\n1,2\n', ','); // ['session_id', 'user id']
 */
export function delimitedHeader(text: string, delimiter: ',' | '\t'): string[] {
  return csvHeader(text, delimiter) ?? [];
}
