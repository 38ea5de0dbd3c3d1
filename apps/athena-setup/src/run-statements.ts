import {
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
} from '@aws-sdk/client-athena';
import { ATHENA_DATABASE, type AthenaStatement } from '@streampulse/analytics-sql';
import { AthenaSetupError } from './errors.js';
import { messageOf } from '@streampulse/errors';

/**
 * A clock and a way to wait: real time by default, fakes in tests.
 *
 * @example
 * const clock: PollClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
 */
export interface PollClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Options of {@link runAthenaStatements}.
 *
 * @example
 * const options: RunStatementsOptions = { workgroup: 'primary', outputLocation: 's3://acme-results/' };
 */
export interface RunStatementsOptions {
  workgroup: string;
  /** Where Athena writes results (`s3://...`); default: the workgroup's setting. */
  outputLocation?: string;
  /** Longest wait for one statement (default 300 000 ms). */
  timeoutMs?: number;
  clock?: PollClock;
  /** Told when each statement has succeeded, with its query execution id. */
  onSucceeded?: (statement: AthenaStatement, queryExecutionId: string) => void;
}

const realClock: PollClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw new AthenaSetupError('athena_error', `${what}: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * Runs one statement to completion, as {@link runAthenaStatements} runs each, and returns its
 * query execution id; ends FAILED, CANCELLED or past the timeout as an {@link AthenaSetupError}.
 *
 * @example
 * const id = await runAthenaStatement(client, { name: 'drop', inDatabase: true, sql: 'DROP TABLE t' }, { workgroup: 'primary' });
 */
export async function runAthenaStatement(
  client: AthenaClient,
  statement: AthenaStatement,
  options: RunStatementsOptions,
): Promise<string> {
  const { now, sleep } = options.clock ?? realClock;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const started = now();
  const { QueryExecutionId: id } = await call(`starting ${statement.name}`, () =>
    client.send(
      new StartQueryExecutionCommand({
        QueryString: statement.sql,
        WorkGroup: options.workgroup,
        // CREATE DATABASE runs before its database exists, so it gets no context.
        ...(statement.inDatabase ? { QueryExecutionContext: { Database: ATHENA_DATABASE } } : {}),
        ...(options.outputLocation
          ? { ResultConfiguration: { OutputLocation: options.outputLocation } }
          : {}),
      }),
    ),
  );
  if (!id)
    throw new AthenaSetupError('athena_error', `starting ${statement.name}: Athena returned no query id`);

  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    const { QueryExecution: execution } = await call(`checking ${statement.name} (query ${id})`, () =>
      client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
    );
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') return id;
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = execution?.Status?.StateChangeReason ?? 'Athena gave no reason';
      throw new AthenaSetupError('query_failed', `${statement.name} ${state}: ${reason} (query ${id})`);
    }
    const waited = now() - started;
    if (waited >= timeoutMs) {
      // Best effort: a statement left running would still finish later, half-applying the setup.
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
      throw new AthenaSetupError(
        'timeout',
        `${statement.name} did not finish within ${Math.round(timeoutMs / 1000)} s ` +
          `(query ${id}, last state ${state ?? 'unknown'}); it was asked to stop`,
      );
    }
    await sleep(Math.min(delay, timeoutMs - waited));
  }
}

/**
 * Runs statements in order, each with StartQueryExecution in the workgroup (inside database
 * `streampulse` unless it is the CREATE DATABASE) and GetQueryExecution polled with
 * exponential backoff until SUCCEEDED. Stops at the first statement that ends FAILED or
 * CANCELLED (the error carries Athena's StateChangeReason) or outlives the timeout.
 *
 * @example
 * const client = new AthenaClient({ region: 'ap-south-1' });
 * await runAthenaStatements(client, athenaStatements({ bucket: 'acme-lake' }), { workgroup: 'primary' });
 */
export async function runAthenaStatements(
  client: AthenaClient,
  statements: readonly AthenaStatement[],
  options: RunStatementsOptions,
): Promise<string[]> {
  const ids: string[] = [];
  for (const statement of statements) {
    const id = await runAthenaStatement(client, statement, options);
    ids.push(id);
    options.onSucceeded?.(statement, id);
  }
  return ids;
}
