import type { Lake } from './lake.js';

/**
 * One object's whole content, for the small objects a caller reads at once (a Parquet day, a
 * record of changed days); large files are read as the stream `lake.read` gives.
 *
 * @example
 * const text = (await readObjectBytes(lake, 'state/changed-days/a.csv/part-0.json')).toString('utf8');
 */
export async function readObjectBytes(lake: Lake, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await lake.read(key)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
