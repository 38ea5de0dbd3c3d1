import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setUpTrino, TRINO_ETC, TRINO_VERSION, trinoInstall } from '../src/index.js';

describe('setUpTrino', () => {
  const saved = process.env.TRINO_CACHE_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRINO_CACHE_DIR;
    else process.env.TRINO_CACHE_DIR = saved;
  });

  it('does nothing, and says so, when the pinned version is already installed', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'streampulse-trino-cache-'));
    try {
      process.env.TRINO_CACHE_DIR = cacheDir;
      const { home, marker } = trinoInstall();
      await mkdir(home, { recursive: true });
      await writeFile(marker, '{}\n');
      const lines: string[] = [];
      // No Maven call can happen here: the folder holds nothing but the marker.
      expect(await setUpTrino((line) => lines.push(line))).toBe('present');
      expect(lines).toEqual([`Trino ${TRINO_VERSION} is already set up in ${home}: nothing to do`]);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it('installed the server this run uses with the single-node loopback configuration', async () => {
    const install = trinoInstall();
    expect(install.ready).toBe(true);
    for (const [name, text] of Object.entries(TRINO_ETC)) {
      expect(await readFile(join(install.home, 'etc', name), 'utf8')).toBe(`${text}\n`);
    }
    expect(TRINO_ETC['config.properties']).toContain('node.bind-ip=127.0.0.1');
    expect(JSON.parse(await readFile(install.marker, 'utf8'))).toEqual({
      version: TRINO_VERSION,
      artifacts: [
        `io.trino:trino-server-core:${TRINO_VERSION}:tar.gz`,
        `io.trino:trino-hive:${TRINO_VERSION}:zip`,
      ],
    });
  });
});
