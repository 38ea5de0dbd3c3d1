/** Options of {@link importSource}. */
export interface ImportSourceOptions {
  /** Map stack traces back to the TypeScript sources (default true; turns on Node's source maps). */
  readonly sourceMaps?: boolean;
}

/** Where a bundle is, and whether this call built it (false: the cached one was still current). */
export interface SourceBundle {
  readonly file: string;
  readonly built: boolean;
}

/**
 * Imports a TypeScript entry module, from a bundle of it and of the workspace sources it reaches,
 * rebuilt only when one of them changed. Packages installed under `node_modules` stay external.
 *
 * @example
 * const { main } = await importSource(new URL('../src/main.ts', import.meta.url));
 */
export function importSource<T = Record<string, unknown>>(
  entry: URL | string,
  options?: ImportSourceOptions,
): Promise<T>;

/**
 * The bundle of `entry` (a path or file URL), built into the cache beside its package's
 * `node_modules` unless the cached one still matches every source it was built from.
 *
 * @example
 * const { file, built } = await bundleSource('apps/cli/src/main.ts');
 */
export function bundleSource(entry: URL | string): Promise<SourceBundle>;

/** The process-facing surface the bins hand to their `main`. */
export function processIo(): {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
};
