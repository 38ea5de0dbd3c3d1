import { parseSettingsNamed, type PipelineSettings } from '@streampulse/schema';
import { EtlTriggerError, parseEnvironment, type EtlTriggerConfig } from '@streampulse/triggers';
import { z } from 'zod';

/** Environment names of the contract settings, as the error names them. */
const SETTING_ENV: Record<keyof PipelineSettings, string> = {
  sourceTimeZone: 'SOURCE_TZ',
  reportingTimeZone: 'REPORTING_TZ',
  maxDurationMinutes: 'MAX_DURATION_MIN',
};

/** The Lambda's own variables; the contract settings are read by the settings' own schema below. */
const environmentSchema = z.object({
  ETL_JOB_NAME: z.string({ error: 'is not set: name the ETL Glue job' }),
  // A prefix names a folder: `landing/sessions` means `landing/sessions/`.
  PLAYBACK_PREFIX: z
    .string()
    .transform((prefix) => (prefix.endsWith('/') ? prefix : `${prefix}/`))
    .default('raw/playback/'),
});

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
  const result = parseEnvironment(environmentSchema, env);
  if (!result.success) throw new EtlTriggerError('config', result.message);
  return {
    jobName: result.data.ETL_JOB_NAME,
    playbackPrefix: result.data.PLAYBACK_PREFIX,
    settings: readSettings(env),
  };
}
