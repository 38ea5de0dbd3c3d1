import { PlanRunError } from './errors.js';

/**
 * The warehouse as the runner's JDBC arguments (`--jdbc_url`, `--jdbc_user`, `--jdbc_password`),
 * from a `postgres://` URL. Outside Glue they are how the runner reaches PostgreSQL; in Glue the
 * job's connection gives them instead.
 *
 * @example
 * jdbcArguments('postgres://u:p@db:5432/scratch')['--jdbc_url']; // 'jdbc:postgresql://db:5432/scratch'
 */
export function jdbcArguments(databaseUrl: string): Record<string, string> {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch (error) {
    throw new PlanRunError('bad_url', 'the database URL must be postgres://user:password@host:port/db', {
      cause: error,
    });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new PlanRunError('bad_url', 'the database URL must be postgres://user:password@host:port/db');
  }
  return {
    '--jdbc_url': `jdbc:postgresql://${url.host}${url.pathname}${url.search}`,
    '--jdbc_user': decodeURIComponent(url.username),
    '--jdbc_password': decodeURIComponent(url.password),
  };
}

/**
 * The `postgres://` URL the runner's JDBC arguments name (the inverse of {@link jdbcArguments}).
 *
 * @example
 * databaseUrlOf({ '--jdbc_url': 'jdbc:postgresql://db:5432/x', '--jdbc_user': 'u', '--jdbc_password': 'p' }); // 'postgres://u:p@db:5432/x'
 */
export function databaseUrlOf(args: Readonly<Record<string, string | undefined>>): string {
  const jdbc = args['--jdbc_url'];
  if (!jdbc?.startsWith('jdbc:postgresql://')) {
    throw new PlanRunError(
      'bad_url',
      `--jdbc_url must be jdbc:postgresql://host:port/db, got ${String(jdbc)}`,
    );
  }
  const url = new URL(jdbc.replace(/^jdbc:postgresql:/, 'postgres:'));
  url.username = encodeURIComponent(args['--jdbc_user'] ?? '');
  url.password = encodeURIComponent(args['--jdbc_password'] ?? '');
  return url.toString();
}
