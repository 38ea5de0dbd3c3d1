import { DEFAULT_SETTINGS } from '@streampulse/schema';
import type { EtlTriggerConfig } from '../src/index.js';

/** The ETL trigger's settings as its Lambda reads them from an environment naming only the job. */
export function etlConfig(jobName: string, playbackPrefix = 'raw/playback/'): EtlTriggerConfig {
  return { jobName, playbackPrefix, settings: DEFAULT_SETTINGS };
}
