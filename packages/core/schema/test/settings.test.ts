import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettingsNamed, pipelineSettingsSchema } from '../src/index.js';

describe('pipeline settings', () => {
  it('defaults to UTC source, Asia/Kolkata reporting and a 1440 minute maximum', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      sourceTimeZone: 'UTC',
      reportingTimeZone: 'Asia/Kolkata',
      maxDurationMinutes: 1440,
    });
  });

  it('rejects an unknown time zone and names it', () => {
    const result = pipelineSettingsSchema.safeParse({ sourceTimeZone: 'Mars/Olympus' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('Mars/Olympus');
    expect(result.error?.issues[0]?.path).toEqual(['sourceTimeZone']);
  });

  it('rejects an offset where a zone name is expected', () => {
    expect(pipelineSettingsSchema.safeParse({ reportingTimeZone: '+05:30' }).success).toBe(false);
  });

  it('rejects a non-positive maximum duration', () => {
    expect(pipelineSettingsSchema.safeParse({ maxDurationMinutes: 0 }).success).toBe(false);
  });
});

describe('parseSettingsNamed', () => {
  const names = {
    sourceTimeZone: '--source-tz',
    reportingTimeZone: '--reporting-tz',
    maxDurationMinutes: '--max',
  };

  it('fills absent settings with the defaults', () => {
    expect(parseSettingsNamed({ sourceTimeZone: undefined }, names)).toEqual({
      success: true,
      data: DEFAULT_SETTINGS,
    });
  });

  it("names a bad setting by the caller's name for it", () => {
    expect(parseSettingsNamed({ reportingTimeZone: 'Mars/Olympus' }, names)).toEqual({
      success: false,
      message: expect.stringMatching(/^--reporting-tz: unknown time zone "Mars\/Olympus"/) as string,
    });
    expect(parseSettingsNamed({ maxDurationMinutes: -1 }, names)).toMatchObject({
      success: false,
      message: expect.stringMatching(/^--max: /) as string,
    });
  });
});
