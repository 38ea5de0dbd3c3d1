import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { activeUsersCsv, aggregateByDay, engagementCsv } from '@streampulse/aggregate';
import { lakeFiles, type GoldenCase } from '@streampulse/golden';
import { LAKE_LAYOUT, partitionPrefix, pipelineSettingsSchema } from '@streampulse/schema';
import { runPipeline } from '@streampulse/transform';

/** The golden case's settings as the pipeline takes them. */
export const settingsOf = (golden: GoldenCase) =>
  pipelineSettingsSchema.parse({
    sourceTimeZone: golden.settings.source_tz,
    reportingTimeZone: golden.settings.reporting_tz,
  });

/** A temp folder holding a copy of the golden case's lake. */
export async function copyOfGoldenLake(golden: GoldenCase): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `local-query-${golden.name}-`));
  await cp(golden.lakeDir, dir, { recursive: true });
  return dir;
}

/**
 * A lake folder holding only the golden case's aggregates, as CSV objects computed by the pure
 * reference (no database needed), one `part-0.csv` per table and day.
 */
export async function csvAggregateLake(golden: GoldenCase): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `local-query-csv-${golden.name}-`));
  const { rows } = await runPipeline(
    {
      playback: lakeFiles(golden.lakeDir, LAKE_LAYOUT.playback),
      contentMetadata: lakeFiles(golden.lakeDir, LAKE_LAYOUT.contentMetadata),
      userProfiles: lakeFiles(golden.lakeDir, LAKE_LAYOUT.userProfiles),
    },
    settingsOf(golden),
  );
  for (const day of aggregateByDay(rows)) {
    await put(
      dir,
      `${partitionPrefix('daily_engagement', day.eventDate)}part-0.csv`,
      engagementCsv(day.engagement),
    );
    await put(
      dir,
      `${partitionPrefix('daily_active_users', day.eventDate)}part-0.csv`,
      activeUsersCsv(day.activeUsers),
    );
  }
  return dir;
}

async function put(root: string, key: string, text: string): Promise<void> {
  const path = join(root, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}
