import pg from 'pg';
import { messageOf } from '@streampulse/errors';
import { WarehouseError } from './errors.js';
import { databaseTarget, redactDatabaseUrl, type DatabaseTarget } from './url.js';

/**
 * Options of {@link connectWarehouse}.
 *
 * @example
 * const options: ConnectOptions = { max: 4, applicationName: 'streampulse-etl' };
 */
export interface ConnectOptions {
  /** Most connections the pool opens (default 10). */
  max?: number;
  /** Shown in `pg_stat_activity` (default `streampulse`). */
  applicationName?: string;
}

// Bounds only the start-up check: a host that drops packets would otherwise hang for the
// kernel's TCP timeout (about two minutes) before the user hears anything.
const CHECK_TIMEOUT_MS = 10_000;

/**
 * Opens a connection pool and proves it works with `SELECT 1`, turning the usual failures into
 * one clear {@link WarehouseError} each: `bad_url`, `unreachable`, `auth_failed`,
 * `database_missing`. The caller owns the pool and ends it.
 *
 * @example
 * const pool = await connectWarehouse('postgres://postgres@127.0.0.1:5432/streampulse');
 * try {
 *   await migrate(pool);
 * } finally {
 *   await pool.end();
 * }
 */
export async function connectWarehouse(url: string, options: ConnectOptions = {}): Promise<pg.Pool> {
  const target = databaseTarget(url);
  if (!target) {
    throw new WarehouseError(
      'bad_url',
      `not a PostgreSQL URL: "${redactDatabaseUrl(url)}" (expected postgres://user:password@host:port/database)`,
    );
  }
  const application_name = options.applicationName ?? 'streampulse';
  let check: pg.Client;
  try {
    check = new pg.Client({
      connectionString: url,
      application_name,
      connectionTimeoutMillis: CHECK_TIMEOUT_MS,
    });
  } catch (error) {
    throw new WarehouseError(
      'bad_url',
      `cannot use PostgreSQL URL "${redactDatabaseUrl(url)}": ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
  // The check client may emit 'error' after a failed connect; the promise below reports it.
  check.on('error', () => undefined);
  try {
    await check.connect();
    await check.query('SELECT 1');
  } catch (error) {
    throw connectionError(error, target);
  } finally {
    await check.end().catch(() => undefined);
  }
  const pool = new pg.Pool({ connectionString: url, application_name, max: options.max ?? 10 });
  // An idle client whose server went away emits 'error' on the pool; without a listener that
  // crashes the process, while the next query reports the same problem where it can be handled.
  pool.on('error', () => undefined);
  // A client checked out of the pool has no pool listener: when its server goes away between
  // queries (a restart mid-load), its 'error' event would crash the process with a stack trace.
  // The query in flight, or the next one, rejects with the same error, where the caller handles it.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

// Node's TLS verification failures: with sslmode=verify-ca/verify-full, the usual cause is a
// sslrootcert that is not the CA of the server's certificate.
const TLS_VERIFY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Maps a failure to connect to the {@link WarehouseError} a user can act on. */
export function connectionError(error: unknown, target: DatabaseTarget): WarehouseError {
  const where = `${target.host}:${target.port}`;
  const code = errorCode(error);
  const message = messageOf(error);
  switch (code) {
    case 'ECONNREFUSED':
      return new WarehouseError('unreachable', `cannot reach PostgreSQL at ${where} (connection refused)`, {
        cause: error,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new WarehouseError('unreachable', `cannot reach PostgreSQL at ${where} (host not found)`, {
        cause: error,
      });
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new WarehouseError('unreachable', `cannot reach PostgreSQL at ${where} (${code})`, {
        cause: error,
      });
    case '28P01':
      return new WarehouseError(
        'auth_failed',
        `PostgreSQL at ${where} rejected the password of user "${target.user ?? '(default)'}"`,
        { cause: error },
      );
    case '28000':
      return new WarehouseError('auth_failed', `PostgreSQL at ${where} rejected the login: ${message}`, {
        cause: error,
      });
    case '3D000':
      return new WarehouseError(
        'database_missing',
        `database "${target.database ?? '(default)'}" does not exist on PostgreSQL at ${where}`,
        { cause: error },
      );
  }
  if (code !== undefined && TLS_VERIFY_CODES.has(code)) {
    return new WarehouseError(
      'unreachable',
      `cannot trust PostgreSQL at ${where}: its certificate does not verify (${message}); ` +
        'check that sslrootcert names the CA that signed the server certificate',
      { cause: error },
    );
  }
  if (/password must be a string/i.test(message)) {
    // The client side of SCRAM fails this way when the server wants a password and the URL has none.
    return new WarehouseError(
      'auth_failed',
      `PostgreSQL at ${where} wants a password and the URL gives none`,
      {
        cause: error,
      },
    );
  }
  if (/timeout/i.test(message)) {
    return new WarehouseError('unreachable', `cannot reach PostgreSQL at ${where} (timed out)`, {
      cause: error,
    });
  }
  return new WarehouseError('unreachable', `cannot use PostgreSQL at ${where}: ${message}`, { cause: error });
}

/** `code` of a Node or PostgreSQL error; for Node's "happy eyeballs" AggregateError, of its first part. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const parts = (error as { errors?: unknown }).errors;
  return Array.isArray(parts) ? errorCode(parts[0]) : undefined;
}
