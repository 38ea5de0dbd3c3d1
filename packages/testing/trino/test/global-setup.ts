import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTrino, trinoJava, type TrinoServer } from '../src/index.js';

/** What the test files learn about the one server of the run. */
export interface TrinoUnderTest {
  url: string;
  version: string;
  /** The folder the Hive catalog sees as `local:///`. */
  root: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    trino: TrinoUnderTest;
  }
}

let server: TrinoServer | undefined;
let root: string | undefined;

// One server for the whole run (a JVM start costs 15-40 s on two cores), stopped in teardown,
// which vitest runs whether tests passed or failed.
export async function setup(project: TestProject): Promise<void> {
  root = await mkdtemp(join(tmpdir(), 'streampulse-trino-root-'));
  await mkdir(join(root, 'metastore'));
  server = await startTrino({ root });
  const { feature } = trinoJava();
  console.log(
    `Trino ${server.version} (Java ${feature}) accepts queries on ${server.url} after ${(server.startupMs / 1000).toFixed(1)} s`,
  );
  project.provide('trino', { url: server.url, version: server.version, root });
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (server) console.log(`Trino stopped (log: ${server.logPath})`);
  if (root) await rm(root, { recursive: true, force: true });
}
