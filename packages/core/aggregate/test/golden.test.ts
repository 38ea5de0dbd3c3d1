import { goldenCases, lakeFiles } from '@streampulse/golden';
import { LAKE_LAYOUT } from '@streampulse/schema';
import { runPipeline } from '@streampulse/transform';
import { describe, expect, it } from 'vitest';
import { activeUsersCsv, aggregateByDay, engagementCsv } from '../src/index.js';

describe.each(goldenCases().map((c) => [`${c.origin}/${c.name}`, c] as const))(
  'golden case %s',
  (_, golden) => {
    const aggregates = async () => {
      const { rows } = await runPipeline(
        {
          playback: lakeFiles(golden.lakeDir, LAKE_LAYOUT.playback),
          contentMetadata: lakeFiles(golden.lakeDir, LAKE_LAYOUT.contentMetadata),
          userProfiles: lakeFiles(golden.lakeDir, LAKE_LAYOUT.userProfiles),
        },
        { sourceTimeZone: golden.settings.source_tz, reportingTimeZone: golden.settings.reporting_tz },
      );
      return aggregateByDay(rows);
    };

    it('aggregates exactly the expected days', async () => {
      expect((await aggregates()).map((d) => d.eventDate)).toEqual(golden.days);
    });

    it('matches every expected daily_engagement and daily_active_users file', async () => {
      for (const day of await aggregates()) {
        expect(engagementCsv(day.engagement), `daily_engagement ${day.eventDate}`).toBe(
          golden.engagementCsv(day.eventDate),
        );
        expect(activeUsersCsv(day.activeUsers), `daily_active_users ${day.eventDate}`).toBe(
          golden.activeUsersCsv(day.eventDate),
        );
      }
    });
  },
);
