import { readFileSync } from 'node:fs';

/** Peak resident memory of a running process (Linux VmHWM), in bytes; 0 where unknown. */
export function peakRssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Peak resident memory of this process so far, in bytes. */
export function ownPeakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function rowsPerSecond(rows: number, seconds: number): number {
  return Math.round(rows / seconds);
}
