import type { PipelineSettings } from '@streampulse/schema';

/**
 * The ETL trigger's settings.
 *
 * @example
 * const config: EtlTriggerConfig = {
 *   jobName: 'streampulse-etl', playbackPrefix: 'raw/playback/', settings: DEFAULT_SETTINGS,
 * };
 */
export interface EtlTriggerConfig {
  /** The ETL Glue job (`ETL_JOB_NAME`). */
  jobName: string;
  /** Keys under this prefix start a run (`PLAYBACK_PREFIX`, default `raw/playback/`). */
  playbackPrefix: string;
  /**
   * The contract's settings each run's plan is compiled with (`SOURCE_TZ`, `REPORTING_TZ`,
   * `MAX_DURATION_MIN`; the contract's defaults when unset).
   */
  settings: PipelineSettings;
}
