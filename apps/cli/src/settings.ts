import { pipelineSettingsSchema, type PipelineSettings } from '@streampulse/schema';
import { UsageError } from './io.js';

const flagOf: Record<string, string> = {
  sourceTimeZone: '--source-tz',
  reportingTimeZone: '--reporting-tz',
  maxDurationMinutes: '--max-duration-min',
};

/** Validates contract settings from flags; a bad one is named by its flag. */
export function parseSettings(values: {
  'source-tz'?: string | undefined;
  'reporting-tz'?: string | undefined;
}): PipelineSettings {
  const result = pipelineSettingsSchema.safeParse({
    ...(values['source-tz'] !== undefined ? { sourceTimeZone: values['source-tz'] } : {}),
    ...(values['reporting-tz'] !== undefined ? { reportingTimeZone: values['reporting-tz'] } : {}),
  });
  if (!result.success) {
    const issue = result.error.issues[0];
    const flag = flagOf[String(issue?.path[0])] ?? String(issue?.path[0]);
    throw new UsageError(`${flag}: ${issue?.message ?? 'invalid value'}`);
  }
  return result.data;
}
