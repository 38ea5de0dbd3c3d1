import { parseSettingsNamed, type PipelineSettings } from '@streampulse/schema';
import { UsageError } from './io.js';

const flagOf = {
  sourceTimeZone: '--source-tz',
  reportingTimeZone: '--reporting-tz',
  maxDurationMinutes: '--max-duration-min',
} as const;

/** Validates contract settings from flags; a bad one is named by its flag. */
export function parseSettings(values: {
  'source-tz'?: string | undefined;
  'reporting-tz'?: string | undefined;
}): PipelineSettings {
  const result = parseSettingsNamed(
    {
      ...(values['source-tz'] !== undefined ? { sourceTimeZone: values['source-tz'] } : {}),
      ...(values['reporting-tz'] !== undefined ? { reportingTimeZone: values['reporting-tz'] } : {}),
    },
    flagOf,
  );
  if (!result.success) throw new UsageError(result.message);
  return result.data;
}
