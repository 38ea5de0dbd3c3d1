/**
 * Writes one CSV line (without its line end), quoting a value only where needed: when it holds
 * the delimiter, a quote, a CR or an LF (RFC 4180; quotes inside are doubled). A row of one empty
 * value is written as `""`, since an empty line would be read back as no row at all.
 *
 * @example
 * encodeCsvRow(['S1', 'The "Big" Story, Part 2', '']); // 'S1,"The ""Big"" Story, Part 2",'
 * encodeCsvRow(['a', 'b'], '\t'); // 'a\tb'
 */
export function encodeCsvRow(values: readonly string[], delimiter = ','): string {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new RangeError(
      `encodeCsvRow: the delimiter must be one character other than a quote, CR or LF (got ${JSON.stringify(delimiter)})`,
    );
  }
  if (values.length === 1 && values[0] === '') return '""';
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as string;
    if (i > 0) line += delimiter;
    line += needsQuotes(value, delimiter) ? `"${value.replaceAll('"', '""')}"` : value;
  }
  return line;
}

function needsQuotes(value: string, delimiter: string): boolean {
  return value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r');
}
