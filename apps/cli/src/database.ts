import { resolveDatabase } from '@streampulse/warehouse';
import { join } from 'node:path';

/** Where the embedded PostgreSQL keeps its data, relative to the folder a command runs in. */
export const EMBEDDED_DATABASE_DIR = '.streampulse/postgres';

/**
 * The database a command uses: `--database-url`, else `DATABASE_URL`, else the embedded
 * server in `.streampulse/postgres` (started on demand, stopped by `close()`).
 */
export async function openDatabase(
  databaseUrl: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
  log?: (line: string) => void,
) {
  return resolveDatabase({
    ...(databaseUrl ? { databaseUrl } : {}),
    env,
    embeddedDir: join(cwd, EMBEDDED_DATABASE_DIR),
    ...(log ? { log } : {}),
  });
}
