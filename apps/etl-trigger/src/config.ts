import { EtlTriggerError } from './errors.js';

/**
 * The ETL trigger's settings.
 *
 * @example
 * const config: EtlTriggerConfig = { jobName: 'streampulse-etl', playbackPrefix: 'raw/playback/' };
 */
export interface EtlTriggerConfig {
  /** The ETL Glue job (`ETL_JOB_NAME`). */
  jobName: string;
  /** Keys under this prefix start a run (`PLAYBACK_PREFIX`, default `raw/playback/`). */
  playbackPrefix: string;
}

/**
 * Reads the settings from an environment: `ETL_JOB_NAME` (required), `PLAYBACK_PREFIX`.
 *
 * @example
 * const config = readEtlTriggerConfig(process.env);
 */
export function readEtlTriggerConfig(env: Record<string, string | undefined>): EtlTriggerConfig {
  const jobName = env.ETL_JOB_NAME?.trim();
  if (!jobName) throw new EtlTriggerError('config', 'ETL_JOB_NAME is not set: name the ETL Glue job');
  const prefix = env.PLAYBACK_PREFIX?.trim() || 'raw/playback/';
  return { jobName, playbackPrefix: prefix.endsWith('/') ? prefix : `${prefix}/` };
}
