import type { Lake } from '@streampulse/lake';
import type { SourceFile } from '@streampulse/transform';

/**
 * A lake key as the pure pipeline's {@link SourceFile}: the bytes are fetched when iterated.
 *
 * @example
 * const file = lakeSourceFile(lake, 'raw/playback/a.csv');
 */
export function lakeSourceFile(lake: Lake, key: string): SourceFile {
  return {
    key,
    open: () => ({
      async *[Symbol.asyncIterator]() {
        yield* await lake.read(key);
      },
    }),
  };
}

/** Every object under a prefix, as source files, in ascending key order. */
export async function lakeSourceFiles(lake: Lake, prefix: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for await (const object of lake.list(prefix)) files.push(lakeSourceFile(lake, object.key));
  return files;
}
