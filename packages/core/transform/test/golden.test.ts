import { contractReportOf, goldenCases, lakeFiles } from '@streampulse/golden';
import { LAKE_LAYOUT } from '@streampulse/schema';
import { describe, expect, it } from 'vitest';
import { processedCsv, runPipeline } from '../src/index.js';

describe.each(goldenCases().map((c) => [`${c.origin}/${c.name}`, c] as const))(
  'golden case %s',
  (_, golden) => {
    const run = () =>
      runPipeline(
        {
          playback: lakeFiles(golden.lakeDir, LAKE_LAYOUT.playback),
          contentMetadata: lakeFiles(golden.lakeDir, LAKE_LAYOUT.contentMetadata),
          userProfiles: lakeFiles(golden.lakeDir, LAKE_LAYOUT.userProfiles),
        },
        { sourceTimeZone: golden.settings.source_tz, reportingTimeZone: golden.settings.reporting_tz },
      );

    it('produces expected/processed_data.csv exactly', async () => {
      const { rows } = await run();
      expect(processedCsv(rows)).toBe(golden.processedCsv);
    });

    it('reports the expected rejections, failed and skipped files', async () => {
      const { report, rows, rejections } = await run();
      expect({ ...contractReportOf(report), processed_rows: rows.length }).toEqual(golden.report);
      expect(rejections).toHaveLength(golden.report.rows_rejected);
    });
  },
);
