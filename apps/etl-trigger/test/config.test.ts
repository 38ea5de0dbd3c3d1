import { DEFAULT_SETTINGS } from '@streampulse/schema';
import { describe, expect, it } from 'vitest';
import { EtlTriggerError } from '@streampulse/triggers';
import { readEtlTriggerConfig } from '../src/index.js';

describe('readEtlTriggerConfig', () => {
  it("uses the contract's defaults when no setting is in the environment", () => {
    expect(readEtlTriggerConfig({ ETL_JOB_NAME: 'etl' })).toEqual({
      jobName: 'etl',
      playbackPrefix: 'raw/playback/',
      settings: DEFAULT_SETTINGS,
    });
  });

  it('reads SOURCE_TZ, REPORTING_TZ and MAX_DURATION_MIN into the settings plans are compiled with', () => {
    const config = readEtlTriggerConfig({
      ETL_JOB_NAME: 'etl',
      SOURCE_TZ: ' America/New_York ',
      REPORTING_TZ: 'UTC',
      MAX_DURATION_MIN: '720',
    });
    expect(config.settings).toEqual({
      sourceTimeZone: 'America/New_York',
      reportingTimeZone: 'UTC',
      maxDurationMinutes: 720,
    });
  });

  it('requires ETL_JOB_NAME', () => {
    expect(() => readEtlTriggerConfig({})).toThrow(expect.objectContaining({ code: 'config' }));
  });

  it('ends PLAYBACK_PREFIX with a slash, so it names a folder', () => {
    expect(
      readEtlTriggerConfig({ ETL_JOB_NAME: 'etl', PLAYBACK_PREFIX: 'landing/sessions' }).playbackPrefix,
    ).toBe('landing/sessions/');
  });

  it.each([
    ['REPORTING_TZ', { REPORTING_TZ: 'Mars/Olympus' }, /REPORTING_TZ: unknown time zone "Mars\/Olympus"/],
    ['SOURCE_TZ', { SOURCE_TZ: '+05:30' }, /SOURCE_TZ: unknown time zone/],
    ['MAX_DURATION_MIN', { MAX_DURATION_MIN: 'a day' }, /MAX_DURATION_MIN: /],
    ['MAX_DURATION_MIN', { MAX_DURATION_MIN: '0' }, /MAX_DURATION_MIN: /],
  ])('rejects a bad %s with a config error naming it', (_name, env, message) => {
    const read = () => readEtlTriggerConfig({ ETL_JOB_NAME: 'etl', ...env });
    expect(read).toThrow(EtlTriggerError);
    expect(read).toThrow(message);
  });
});
