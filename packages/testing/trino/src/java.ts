import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TRINO_MIN_JAVA, TRINO_VERSION } from './install.js';

// Where this machine image keeps a JDK recent enough for Trino; the default `java` is 17.
const KNOWN_JDK_HOMES = ['/usr/lib/jvm/temurin-25-jdk-amd64'];

/**
 * A Java runtime Trino can start on.
 *
 * @example
 * const { java, feature } = trinoJava(); // feature 25
 */
export interface TrinoJava {
  /** Path of the `java` executable. */
  readonly java: string;
  /** Its feature release, e.g. 25. */
  readonly feature: number;
}

function featureOf(java: string): number | undefined {
  const run = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return undefined;
  const match = /version "(\d+)/.exec(`${run.stderr}${run.stdout}`);
  return match ? Number(match[1]) : undefined;
}

/**
 * The first Java of `TRINO_JAVA_HOME`, the known JDK folders, `JAVA_HOME` and the `java` on PATH
 * whose feature release Trino accepts; throws naming every candidate when none does.
 *
 * @example
 * spawn(trinoJava().java, ['-version']);
 */
export function trinoJava(): TrinoJava {
  const homes = [process.env.TRINO_JAVA_HOME, ...KNOWN_JDK_HOMES, process.env.JAVA_HOME].filter(
    (home): home is string => home !== undefined && home !== '',
  );
  const candidates = [...homes.map((home) => join(home, 'bin', 'java')).filter(existsSync), 'java'];
  const seen: string[] = [];
  for (const java of candidates) {
    const feature = featureOf(java);
    seen.push(`${java}: ${feature ?? 'not runnable'}`);
    if (feature !== undefined && feature >= TRINO_MIN_JAVA) return { java, feature };
  }
  throw new Error(
    `Trino ${TRINO_VERSION} needs Java ${TRINO_MIN_JAVA} or later; set TRINO_JAVA_HOME to such a JDK (found ${seen.join(', ')})`,
  );
}
