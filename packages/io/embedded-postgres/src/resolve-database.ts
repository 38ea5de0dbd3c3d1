import type { Logger } from '@streampulse/logging';
import { startEmbeddedPostgres } from './embedded.js';

/**
 * Options of {@link resolveDatabase}.
 *
 * @example
 * const options: ResolveDatabaseOptions = { databaseUrl: flags.databaseUrl, env: process.env, embeddedDir: '.streampulse/postgres' };
 */
export interface ResolveDatabaseOptions {
  /** A URL the user gave explicitly (e.g. `--database-url`); wins over everything. */
  databaseUrl?: string;
  /** The environment to read `DATABASE_URL` from (pass `process.env`). */
  env: Record<string, string | undefined>;
  /** Data dir of the embedded server, used when no URL is given. */
  embeddedDir: string;
  /** Told of each step of the embedded server, when one is used. */
  logger?: Logger;
}

/**
 * The database to use, and how to let go of it.
 *
 * @example
 * const db: ResolvedDatabase = await resolveDatabase({ env: process.env, embeddedDir: '.streampulse/postgres' });
 * if (db.embedded) console.error('using the embedded PostgreSQL');
 * await db.close();
 */
export interface ResolvedDatabase {
  url: string;
  /** True when this call started an embedded server. */
  embedded: boolean;
  /** Stops the embedded server; does nothing for a URL the user gave. */
  close(): Promise<void>;
}

/**
 * Database the embedded server serves to the pipeline.
 *
 * @example
 * new URL(db.url).pathname === `/${EMBEDDED_DATABASE}`; // when db.embedded
 */
export const EMBEDDED_DATABASE = 'streampulse';

/**
 * Picks the warehouse: `databaseUrl`, else `env.DATABASE_URL`, else an embedded server in
 * `embeddedDir` (database `streampulse`, created if missing). Empty strings count as unset.
 *
 * @example
 * const db = await resolveDatabase({ env: process.env, embeddedDir: '.streampulse/postgres' });
 * const pool = await connectWarehouse(db.url);
 * try {
 *   await migrate(pool);
 * } finally {
 *   await pool.end();
 *   await db.close();
 * }
 */
export async function resolveDatabase(options: ResolveDatabaseOptions): Promise<ResolvedDatabase> {
  const given = options.databaseUrl || options.env.DATABASE_URL;
  if (given) return { url: given, embedded: false, close: async () => undefined };
  const server = await startEmbeddedPostgres({
    dataDir: options.embeddedDir,
    database: EMBEDDED_DATABASE,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { url: server.url, embedded: true, close: () => server.stop() };
}
