import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TRINO_ARTIFACTS, TRINO_VERSION, trinoInstall, type TrinoInstall } from './install.js';
import { trinoJava } from './java.js';

// One dependency-plugin release, named, so a new Maven default cannot change how we unpack.
const UNPACK = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack';

/**
 * `etc/` of the single-node test server. One JVM is coordinator and worker, bound to loopback,
 * with a heap sized for a 2-core, shared CI machine. The harness passes the HTTP port,
 * `discovery.uri` and `node.data-dir` as `-D` system properties (they override this file), and
 * the folder the Hive catalog reads as the environment variable `STREAMPULSE_TRINO_ROOT`.
 */
export const TRINO_ETC: Readonly<Record<string, string>> = {
  'jvm.config': [
    '-server',
    '-Xmx2G',
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:ReservedCodeCacheSize=256M',
    '-Djdk.attach.allowAttachSelf=true',
    '-Dfile.encoding=UTF-8',
    // Athena runs in UTC; a machine's own zone must not leak into date or timestamp results.
    '-Duser.timezone=UTC',
  ].join('\n'),
  'config.properties': [
    'coordinator=true',
    'node-scheduler.include-coordinator=true',
    'node.environment=streampulse_test',
    'node.bind-ip=127.0.0.1',
    'node.internal-address=127.0.0.1',
    'http-server.http.port=8080',
    'query.max-memory=1GB',
    'query.max-memory-per-node=1GB',
    'task.concurrency=2',
  ].join('\n'),
  // The Hive connector over a local folder with a file metastore: the aggregate Parquet files
  // are read where the aggregation job wrote them, as Athena reads them in S3.
  'catalog/hive.properties': [
    'connector.name=hive',
    'hive.metastore=file',
    'hive.metastore.catalog.dir=local:///metastore',
    'fs.native-local.enabled=true',
    'local.location=${ENV:STREAMPULSE_TRINO_ROOT}',
    'hive.non-managed-table-writes-enabled=true',
    'hive.compression-codec=SNAPPY',
  ].join('\n'),
};

function mavenUnpack(
  install: TrinoInstall,
  artifact: string,
  outputDirectory: string,
  staging: string,
): void {
  const args = [
    '-B',
    '-q',
    UNPACK,
    `-Dartifact=${artifact}`,
    `-DoutputDirectory=${outputDirectory}`,
    `-Dmaven.repo.local=${join(install.cacheDir, 'm2')}`,
  ];
  // The plugin writes a marker per artifact under <cwd>/${project.basedir}/target and skips an
  // artifact whose marker it finds: run in the staging folder, removed on every set-up.
  const run = spawnSync('mvn', args, { cwd: staging, encoding: 'utf8' });
  if (run.error) throw new Error(`cannot run mvn (${run.error.message}); install Maven 3`);
  if (run.status !== 0) {
    // eslint-disable-next-line no-control-regex -- Maven 3.8 colours its output even in batch mode.
    const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').trim();
    throw new Error(`mvn ${args.join(' ')} exited with ${run.status}:\n${output}`);
  }
}

/**
 * Installs the pinned Trino into the repository's git-ignored cache, once: Maven unpacks
 * `trino-server-core` and the Hive connector plugin, the server's bundled plugins (none a
 * connector) are removed, and `etc/` is written. A complete installation is left alone.
 *
 * @example
 * const outcome = await setUpTrino(console.log); // 'installed' or 'present'
 */
export async function setUpTrino(log: (line: string) => void): Promise<'installed' | 'present'> {
  const install = trinoInstall();
  if (install.ready) {
    log(`Trino ${TRINO_VERSION} is already set up in ${install.home}: nothing to do`);
    return 'present';
  }
  const started = Date.now();
  const { java, feature } = trinoJava();
  log(`Setting up Trino ${TRINO_VERSION} in ${install.home} (Java ${feature}: ${java})`);
  const staging = join(install.cacheDir, `.staging-${TRINO_VERSION}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const stagedHome = join(staging, `trino-server-core-${TRINO_VERSION}`);
  for (const { artifact, into } of TRINO_ARTIFACTS) {
    log(`fetching ${artifact} with Maven`);
    mavenUnpack(install, artifact, into === '.' ? staging : join(stagedHome, into), staging);
  }
  const connector = `trino-hive-${TRINO_VERSION}`;
  for (const plugin of await readdir(join(stagedHome, 'plugin'))) {
    if (plugin !== connector) await rm(join(stagedHome, 'plugin', plugin), { recursive: true });
  }
  for (const [name, text] of Object.entries(TRINO_ETC)) {
    await mkdir(join(stagedHome, 'etc', 'catalog'), { recursive: true });
    await writeFile(join(stagedHome, 'etc', name), `${text}\n`);
  }
  await rm(install.home, { recursive: true, force: true });
  await rename(stagedHome, install.home);
  await rm(staging, { recursive: true, force: true });
  // The archives stay in Maven's repository otherwise: the unpacked copy is the one that runs.
  await rm(join(install.cacheDir, 'm2', 'io', 'trino'), { recursive: true, force: true });
  await writeFile(
    install.marker,
    `${JSON.stringify({ version: TRINO_VERSION, artifacts: TRINO_ARTIFACTS.map((a) => a.artifact) })}\n`,
  );
  if (!existsSync(install.marker)) throw new Error(`could not write ${install.marker}`);
  log(`Trino ${TRINO_VERSION} set up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 'installed';
}
