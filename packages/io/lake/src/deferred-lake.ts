import type { DeletePrefixOptions, Lake, LakeBody, LakeObject, ReadOptions, WriteOptions } from './lake.js';

/**
 * A lake whose implementation is loaded on its first use. `openLake` returns one for an `s3://`
 * root: loading the AWS SDK takes about a tenth of a second, which a command that never reaches S3
 * (a run over a local lake, `--help`) should not pay. A failed load fails that call and every
 * later one with the same error.
 *
 * @example
 * const lake = new DeferredLake('s3://lake/prod', async () => {
 *   const { S3Lake } = await import('./s3-lake.js');
 *   return new S3Lake(client, 'lake', 'prod');
 * });
 * await lake.stat('raw/users/u.csv'); // loads, then asks S3
 */
export class DeferredLake implements Lake {
  #lake: Promise<Lake> | undefined;

  constructor(
    readonly root: string,
    private readonly load: () => Promise<Lake>,
  ) {}

  async *list(prefix: string): AsyncIterable<LakeObject> {
    yield* (await this.#loaded()).list(prefix);
  }

  async stat(key: string): Promise<LakeObject | undefined> {
    return (await this.#loaded()).stat(key);
  }

  async read(key: string, options?: ReadOptions): Promise<AsyncIterable<Uint8Array>> {
    return (await this.#loaded()).read(key, options);
  }

  async write(key: string, body: LakeBody, options?: WriteOptions): Promise<LakeObject> {
    return (await this.#loaded()).write(key, body, options);
  }

  async delete(key: string): Promise<void> {
    return (await this.#loaded()).delete(key);
  }

  async deletePrefix(prefix: string, options?: DeletePrefixOptions): Promise<number> {
    return (await this.#loaded()).deletePrefix(prefix, options);
  }

  async materialize(prefix: string, scratchDir: string): Promise<string> {
    return (await this.#loaded()).materialize(prefix, scratchDir);
  }

  #loaded(): Promise<Lake> {
    this.#lake ??= this.load();
    return this.#lake;
  }
}
