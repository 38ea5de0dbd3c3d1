import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Deletes an embedded server's data folder for good, and the cluster folder it points to when
 * that lives elsewhere (as root the cluster sits in a temp folder the `postgres` user can enter).
 * Stop the server first. A folder that is not there is no error.
 *
 * @example
 * await server.stop();
 * await removeEmbeddedPostgres('.streampulse/postgres');
 */
export async function removeEmbeddedPostgres(dataDir: string): Promise<void> {
  const settings = await readFile(join(dataDir, 'embedded-postgres.json'), 'utf8').catch(() => undefined);
  const pgdata = settings === undefined ? undefined : (JSON.parse(settings) as { pgdata?: string }).pgdata;
  if (pgdata && dirname(pgdata) !== dataDir) await rm(dirname(pgdata), { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
}
