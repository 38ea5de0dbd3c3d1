import { parseSettingsNamed, type PipelineSettings } from '@streampulse/schema';
import { EtlTriggerError, type EtlTriggerConfig } from '@streampulse/triggers';

/** Environment names of the contract settings, as the error names them. */
const SETTING_ENV: Record<keyof PipelineSettings, string> = {
  sourceTimeZone: 'SOURCE_TZ',
  reportingTimeZone: 'REPORTING_TZ',
  maxDurationMinutes: 'MAX_DURATION_MIN',
};

function readSettings(env: Record<string, string | undefined>): PipelineSettings {
  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  const maxDuration = text(SETTING_ENV.maxDurationMinutes);
  const result = parseSettingsNamed(
    {
      sourceTimeZone: text(SETTING_ENV.sourceTimeZone),
      reportingTimeZone: text(SETTING_ENV.reportingTimeZone),
      maxDurationMinutes: maxDuration === undefined ? undefined : Number(maxDuration),
    },
    SETTING_ENV,
  );
  if (!result.success) throw new EtlTriggerError('config', result.message);
  return result.data;
}

/**
 * Reads the settings from an environment: `ETL_JOB_NAME` (required), `PLAYBACK_PREFIX`, and the
 * contract settings `SOURCE_TZ`, `REPORTING_TZ`, `MAX_DURATION_MIN`. A bad value throws an
 * {@link EtlTriggerError} (`config`) that names the variable.
 *
 * @example
 * const config = readEtlTriggerConfig(process.env);
 */
export function readEtlTriggerConfig(env: Record<string, string | undefined>): EtlTriggerConfig {
  const jobName = env.ETL_JOB_NAME?.trim();
  if (!jobName) throw new EtlTriggerError('config', 'ETL_JOB_NAME is not set: name the ETL Glue job');
  const prefix = env.PLAYBACK_PREFIX?.trim() || 'raw/playback/';
  return {
    jobName,
    playbackPrefix: prefix.endsWith('/') ? prefix : `${prefix}/`,
    settings: readSettings(env),
  };
}
