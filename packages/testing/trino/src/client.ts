import { StreamPulseError } from '@streampulse/errors';
// A Trino client over the REST protocol (`POST /v1/statement`, then `nextUri` until done): the
// few dozen lines the tests need, with no dependency.

/**
 * A result column: its name and Trino type, e.g. `{ name: 'sessions', type: 'bigint' }`.
 *
 * @example
 * const column: TrinoColumn = { name: 'title', type: 'varchar' };
 */
export interface TrinoColumn {
  readonly name: string;
  readonly type: string;
}

/**
 * A statement's answer: columns and rows as Trino's JSON gives them (dates and decimals as text,
 * integers and doubles as numbers).
 *
 * @example
 * const { rows } = await trino.query('SELECT 1'); // [[1]]
 */
export interface TrinoResult {
  readonly columns: readonly TrinoColumn[];
  readonly rows: unknown[][];
}

/**
 * A statement Trino refused or failed, with Trino's error name (e.g. `TYPE_MISMATCH`).
 *
 * @example
 * if (error instanceof TrinoError && error.errorName === 'SYNTAX_ERROR') { ... }
 */
export class TrinoError extends StreamPulseError {
  override readonly name = 'TrinoError';
  constructor(
    message: string,
    readonly errorName: string,
  ) {
    super(errorName, message);
  }
}

/**
 * Where and as whom statements run.
 *
 * @example
 * const options: TrinoClientOptions = { url: 'http://127.0.0.1:8080', catalog: 'hive', schema: 'streampulse' };
 */
export interface TrinoClientOptions {
  readonly url: string;
  readonly catalog?: string;
  readonly schema?: string;
  /** Longest a statement may take, in ms (default 300 000). */
  readonly timeoutMs?: number;
}

interface StatementResponse {
  nextUri?: string;
  columns?: TrinoColumn[];
  data?: unknown[][];
  error?: { message: string; errorName: string };
}

/**
 * Runs statements one at a time, in a UTC session (as Athena's), and resolves with all rows.
 *
 * @example
 * const trino = trinoClient({ url, catalog: 'hive', schema: 'streampulse' });
 * const { columns, rows } = await trino.query('SELECT * FROM daily_unique_viewers');
 */
export function trinoClient(options: TrinoClientOptions): { query(sql: string): Promise<TrinoResult> } {
  const headers: Record<string, string> = { 'X-Trino-User': 'streampulse', 'X-Trino-Time-Zone': 'UTC' };
  if (options.catalog) headers['X-Trino-Catalog'] = options.catalog;
  if (options.schema) headers['X-Trino-Schema'] = options.schema;
  const timeoutMs = options.timeoutMs ?? 300_000;

  async function call(url: string, init: RequestInit): Promise<StatementResponse> {
    const response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`Trino answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as StatementResponse;
  }

  return {
    async query(sql) {
      const deadline = Date.now() + timeoutMs;
      let page = await call(`${options.url}/v1/statement`, { method: 'POST', body: sql });
      let columns: TrinoColumn[] = [];
      const rows: unknown[][] = [];
      for (;;) {
        if (page.error) throw new TrinoError(page.error.message, page.error.errorName);
        if (page.columns) columns = page.columns.map((c) => ({ name: c.name, type: c.type }));
        if (page.data) rows.push(...page.data);
        if (!page.nextUri) return { columns, rows };
        if (Date.now() > deadline) throw new Error(`statement ran past ${timeoutMs} ms: ${sql.slice(0, 80)}`);
        page = await call(page.nextUri, { method: 'GET' });
      }
    },
  };
}
