import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, pipelineSettingsSchema } from './index.js';

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
