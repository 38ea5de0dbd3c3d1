/**
 * Hides the password of a PostgreSQL URL, in the user part and in `password=` parameters,
 * so the URL can appear in messages and logs. Works on malformed URLs too: those are the ones
 * that end up in error messages.
 *
 * @example
 * redactDatabaseUrl('postgres://app:s3cret@db.internal:5432/warehouse');
 * // 'postgres://app:***@db.internal:5432/warehouse'
 */
export function redactDatabaseUrl(url: string): string {
  let redacted = url.replace(/([?&](?:ssl)?password=)[^&#]*/gi, '$1***');
  const schemeEnd = redacted.indexOf('://');
  if (schemeEnd < 0) return redacted;
  const start = schemeEnd + 3;
  const rest = redacted.slice(start);
  // A raw '@' or '/' in a password is a user mistake we still must not leak, so the user part
  // runs to the last '@' before any query, not to the first one.
  const queryAt = rest.search(/[?#]/);
  const authorityEnd = queryAt < 0 ? rest.length : queryAt;
  const at = rest.lastIndexOf('@', authorityEnd - 1);
  if (at < 0) return redacted;
  const userInfo = rest.slice(0, at);
  const colon = userInfo.indexOf(':');
  if (colon < 0) return redacted;
  redacted = `${redacted.slice(0, start)}${userInfo.slice(0, colon)}:***${rest.slice(at)}`;
  return redacted;
}

/** Where a URL points, for messages: host, port, database and user, never the password. */
export interface DatabaseTarget {
  host: string;
  port: number;
  /** Absent when the URL leaves it to the driver's defaults (PGDATABASE, the OS user). */
  database: string | undefined;
  user: string | undefined;
}

/** Reads the target of a URL `new URL` accepts; `undefined` when it is not a PostgreSQL URL. */
export function databaseTarget(url: string): DatabaseTarget | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') return undefined;
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const host = parsed.searchParams.get('host') ?? (decode(parsed.hostname) || 'localhost');
  const user = decode(parsed.username) || parsed.searchParams.get('user') || undefined;
  const database = decode(parsed.pathname.replace(/^\//, '')) || undefined;
  return { host, port: parsed.port ? Number(parsed.port) : 5432, database, user };
}
