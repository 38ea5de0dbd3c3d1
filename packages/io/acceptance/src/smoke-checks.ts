// How a smoke run in a cloud account (`glue-launcher smoke`, `athena-setup smoke`) compares what
// an engine produced with a golden case's expected files, and how it reports.

/**
 * One line of a smoke table: a case, what was checked, and the first difference if any.
 *
 * @example
 * const row: SmokeCheck = { case: 'basic', check: 'processed_data', ok: true };
 */
export interface SmokeCheck {
  case: string;
  check: string;
  ok: boolean;
  detail?: string;
}

/**
 * Where two CSV texts first differ, or undefined when equal.
 *
 * @example
 * compareCsv('a\n1\n', 'a\n2\n'); // 'line 2: expected "1", got "2" (2 lines each)'
 */
export function compareCsv(expected: string, actual: string): string | undefined {
  if (expected === actual) return undefined;
  const want = expected.split('\n');
  const got = actual.split('\n');
  const line = want.findIndex((w, i) => got[i] !== w);
  const at = line === -1 ? want.length : line;
  const counts =
    want.length === got.length
      ? `${want.length} lines each`
      : `${want.length} lines expected, ${got.length} got`;
  return `line ${at + 1}: expected ${JSON.stringify(want[at] ?? '<end>')}, got ${JSON.stringify(got[at] ?? '<end>')} (${counts})`;
}

/**
 * A check of one expected CSV file against what an engine produced. `undefined` means the engine
 * wrote nothing, which equals an expected file holding only its header (an empty day).
 *
 * @example
 * csvCheck('basic', 'daily_engagement 2025-03-14', expectedText, producedText).ok;
 */
export function csvCheck(caseName: string, check: string, want: string, got: string | undefined): SmokeCheck {
  const headerOnly = want.split('\n').filter((l) => l !== '').length <= 1;
  const detail = got === undefined ? (headerOnly ? undefined : 'object missing') : compareCsv(want, got);
  return { case: caseName, check, ok: detail === undefined, ...(detail ? { detail } : {}) };
}

/**
 * The checks as a table, failures with their first difference, and a summary line.
 *
 * @example
 * io.stdout.write(formatSmokeTable(checks));
 */
export function formatSmokeTable(checks: readonly SmokeCheck[]): string {
  const caseWidth = Math.max(4, ...checks.map((c) => c.case.length));
  const checkWidth = Math.max(5, ...checks.map((c) => c.check.length));
  const lines = [`${'case'.padEnd(caseWidth)}  ${'check'.padEnd(checkWidth)}  result`];
  for (const c of checks) {
    lines.push(
      `${c.case.padEnd(caseWidth)}  ${c.check.padEnd(checkWidth)}  ${c.ok ? 'pass' : 'FAIL'} ${c.detail ?? ''}`.trimEnd(),
    );
  }
  const failed = checks.filter((c) => !c.ok).length;
  lines.push(
    failed === 0 ? `all ${checks.length} checks passed` : `${failed} of ${checks.length} checks failed`,
  );
  return `${lines.join('\n')}\n`;
}
