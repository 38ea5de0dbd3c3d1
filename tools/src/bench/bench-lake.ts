import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateLake } from '@streampulse/generator';

/**
 * Where the benchmarks keep what they make for a size: the lake and the baseline's CSV.
 *
 * @example
 * benchDirOf('/repo', 1_000_000); // '/repo/.streampulse/bench/1000000'
 */
export function benchDirOf(repoRoot: string, sessions: number): string {
  return join(repoRoot, '.streampulse', 'bench', String(sessions));
}

/**
 * The benchmarks' lake of `sessions` sessions (30 days, 2% dirty rows, seed 7), generated once
 * and kept under `.streampulse/bench/<sessions>/lake` (git-ignored), so every benchmark of a size
 * reads the same files and a second run skips the generator.
 *
 * @example
 * const lakeDir = await benchLake(repoRoot, 1_000_000, (line) => console.error(line));
 */
export async function benchLake(
  repoRoot: string,
  sessions: number,
  log: (line: string) => void,
): Promise<string> {
  const benchDir = benchDirOf(repoRoot, sessions);
  const lakeDir = join(benchDir, 'lake');
  if (!existsSync(join(lakeDir, 'raw', 'playback'))) {
    log(`generating ${sessions} sessions into ${lakeDir} (cached for later runs)`);
    rmSync(benchDir, { recursive: true, force: true });
    mkdirSync(benchDir, { recursive: true });
    await generateLake({
      outDir: lakeDir,
      sessions,
      days: 30,
      users: Math.max(3000, Math.round(sessions / 60)),
      dirtyRate: 0.02,
      seed: 7,
    });
  }
  return lakeDir;
}
