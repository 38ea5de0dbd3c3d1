import type { Lake } from '@streampulse/lake';
import { parseLakeRoot } from '@streampulse/lake';
import { statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { UsageError } from './io.js';

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function hasAny(lake: Lake, prefix: string): Promise<boolean> {
  for await (const object of lake.list(prefix)) {
    void object;
    return true;
  }
  return false;
}

/**
 * Refuses a `--lake` that is not a lake root: one that holds none of `folders` (e.g. `raw/` for
 * the ETL). A lake's own sub-folder (`./lake/raw`) is the usual slip, so the message suggests the
 * parent when the parent holds one of them.
 *
 * @example
 * await requireLakeRoot(lake, './lake/raw', ['raw'], 'etl', process.cwd()); // UsageError: ... did you mean --lake lake?
 */
export async function requireLakeRoot(
  lake: Lake,
  given: string,
  folders: readonly ('raw' | 'analytics')[],
  command: string,
  cwd: string,
): Promise<void> {
  const parsed = parseLakeRoot(lake.root);
  const expected = folders.map((f) => `${f}/`).join(' or ');
  if (parsed.kind === 's3') {
    for (const folder of folders) if (await hasAny(lake, folder)) return;
    throw new UsageError(
      `--lake ${given}: not a lake root: expected ${expected} under it (see: streampulse ${command} --help)`,
    );
  }
  const root = parsed.path;
  if (folders.some((folder) => isFolder(join(root, folder)))) return;
  const why = isFolder(root) ? `expected a folder with ${expected} in it` : 'no such folder';
  const parent = dirname(root);
  const lakeFolders = ['raw', 'analytics', 'rejected'];
  const hint =
    parent !== root &&
    (lakeFolders.includes(basename(root)) || lakeFolders.some((f) => isFolder(join(parent, f))))
      ? `; did you mean --lake ${relative(cwd, parent) || '.'}?`
      : '';
  throw new UsageError(`--lake ${given}: not a lake root: ${why}${hint}`);
}
