import { aggregateByDay } from '@streampulse/aggregate';
import { lakeFiles } from '@streampulse/golden';
import { LAKE_LAYOUT, type DailyActiveUsersRow, type DailyEngagementRow } from '@streampulse/schema';
import { generateLake } from '@streampulse/generator';
import { runPipeline } from '@streampulse/transform';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Aggregate rows of a generated lake, the way the daily job would write them. */
export interface SampleAggregates {
  readonly engagement: DailyEngagementRow[];
  readonly activeUsers: DailyActiveUsersRow[];
}

/**
 * Generates a small dirty lake, runs the contract over it and aggregates it by day, all in
 * memory: realistic dashboard data without a database.
 */
export async function sampleAggregates(days = 14, seed = 42): Promise<SampleAggregates> {
  const dir = mkdtempSync(join(tmpdir(), 'streampulse-dashboard-'));
  try {
    await generateLake({ outDir: dir, days, users: 800, sessionsPerDay: 1500, seed, dirtyRate: 0.02 });
    const { rows } = await runPipeline({
      playback: lakeFiles(dir, LAKE_LAYOUT.playback),
      contentMetadata: lakeFiles(dir, LAKE_LAYOUT.contentMetadata),
      userProfiles: lakeFiles(dir, LAKE_LAYOUT.userProfiles),
    });
    const aggregates = aggregateByDay(rows);
    return {
      engagement: aggregates.flatMap((d) => d.engagement),
      activeUsers: aggregates.flatMap((d) => d.activeUsers),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
