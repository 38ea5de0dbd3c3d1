import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one pin of the Trino release the tests run: Maven Central serves `trino-server-core` (the
 * server without connectors) and each connector as its own plugin zip from 476 on, which keeps
 * the download at about 450 MB instead of the full server's 1+ GB. Trino 476 needs Java 24+.
 *
 * @example
 * `io.trino:trino-server-core:${TRINO_VERSION}:tar.gz`;
 */
export const TRINO_VERSION = '476';

/** The Maven artifacts the set-up unpacks: the server, then the one connector the tests use. */
export const TRINO_ARTIFACTS = [
  { artifact: `io.trino:trino-server-core:${TRINO_VERSION}:tar.gz`, into: '.' },
  { artifact: `io.trino:trino-hive:${TRINO_VERSION}:zip`, into: 'plugin' },
] as const;

/** The lowest Java feature release this Trino starts on. */
export const TRINO_MIN_JAVA = 24;

/**
 * Where one Trino installation lives inside the repository's git-ignored cache.
 *
 * @example
 * const { home, ready } = trinoInstall(); // home: <repo>/.cache/trino/trino-server-core-476
 */
export interface TrinoInstall {
  /** `<repo>/.cache/trino`: Maven's local repository and the unpacked servers. */
  readonly cacheDir: string;
  /** The server's folder (bin/, lib/, plugin/, etc/); Trino runs with it as working directory. */
  readonly home: string;
  /** Written last by the set-up: its presence means the installation is complete. */
  readonly marker: string;
  /** True when the set-up has completed for {@link TRINO_VERSION}. */
  readonly ready: boolean;
}

function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (nx.json) above this package');
    dir = parent;
  }
}

/**
 * The installation of the pinned Trino, under `TRINO_CACHE_DIR` when set, else `.cache/trino`.
 *
 * @example
 * if (!trinoInstall().ready) throw new Error('run npm run trino:setup first');
 */
export function trinoInstall(): TrinoInstall {
  const cacheDir = resolve(process.env.TRINO_CACHE_DIR ?? join(repositoryRoot(), '.cache', 'trino'));
  const home = join(cacheDir, `trino-server-core-${TRINO_VERSION}`);
  const marker = join(home, '.streampulse-ready');
  return { cacheDir, home, marker, ready: existsSync(marker) };
}
