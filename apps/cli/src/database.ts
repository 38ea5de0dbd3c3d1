import { parseLakeRoot } from '@streampulse/lake';
import { EMBEDDED_DATABASE, resolveDatabase } from '@streampulse/embedded-postgres';
import type { Logger } from '@streampulse/logging';
import { redactDatabaseUrl } from '@streampulse/warehouse';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The lake `streampulse demo` (`npm start`) writes, relative to the folder it runs in. */
export const DEMO_LAKE_DIR = '.streampulse/demo-lake';

/** Where a local lake keeps its embedded PostgreSQL, inside the lake folder. */
export const EMBEDDED_DATABASE_DIR = '.streampulse/postgres';

/**
 * The embedded PostgreSQL's data dir of a lake: inside a local lake's own folder, so the lake
 * finds its database from any working folder and two lakes never share a table or ledger; an
 * s3:// lake gets one under ~/.streampulse/lakes/, keyed by its bucket and prefix.
 *
 * @example
 * embeddedDirOf(openLake('./lake').root, process.env); // '/home/me/project/lake/.streampulse/postgres'
 */
export function embeddedDirOf(lakeRoot: string, env: Record<string, string | undefined>): string {
  const parsed = parseLakeRoot(lakeRoot);
  if (parsed.kind === 'local') return join(parsed.path, EMBEDDED_DATABASE_DIR);
  const key = createHash('sha256')
    .update(`s3://${parsed.bucket}/${parsed.prefix}`)
    .digest('hex')
    .slice(0, 16);
  return join(env.HOME || homedir(), '.streampulse', 'lakes', key, 'postgres');
}

/**
 * The database a command uses: `--database-url`, else `DATABASE_URL`, else the lake's own
 * embedded server (started on demand, stopped by `close()` unless `streampulse db start` runs
 * it). `label` says which, for the command's first lines; it never shows a password.
 */
export async function openDatabase(
  databaseUrl: string | undefined,
  env: Record<string, string | undefined>,
  /** The lake as the user named it, for the label. */
  given: string,
  /** `lake.root`: an absolute path or s3:// URL. */
  lakeRoot: string,
  logger?: Logger,
) {
  const database = await resolveDatabase({
    ...(databaseUrl ? { databaseUrl } : {}),
    env,
    embeddedDir: embeddedDirOf(lakeRoot, env),
    ...(logger ? { logger } : {}),
  });
  const label = database.embedded
    ? `embedded database for ${given} (${EMBEDDED_DATABASE} on ${new URL(database.url).host})`
    : redactDatabaseUrl(database.url);
  return { ...database, label };
}
