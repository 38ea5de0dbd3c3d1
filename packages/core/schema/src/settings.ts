import { z } from 'zod';

/** True when `name` is an IANA time zone name this runtime knows (`UTC`, `Asia/Kolkata`, ...). */
export function isIanaTimeZone(name: string): boolean {
  // Intl also takes offsets such as "+05:30"; the contract wants zone names only.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name, e.g. `Asia/Kolkata`. */
export const timeZoneSchema = z.string().refine(isIanaTimeZone, {
  error: (issue) =>
    `unknown time zone ${JSON.stringify(issue.input)} (expected an IANA name such as Asia/Kolkata)`,
});

/**
 * Settings of the data contract. Every default here is a setting, not a constant.
 *
 * @example
 * const settings = pipelineSettingsSchema.parse({ sourceTimeZone: 'America/New_York' });
 * settings.reportingTimeZone; // 'Asia/Kolkata'
 */
export const pipelineSettingsSchema = z.object({
  /** Zone of timestamps written without an offset. */
  sourceTimeZone: timeZoneSchema.default('UTC'),
  /** Zone whose calendar date is a session's `event_date`. */
  reportingTimeZone: timeZoneSchema.default('Asia/Kolkata'),
  /** Sessions longer than this are rejected as `duration_too_long`. */
  maxDurationMinutes: z.number().positive().default(1440),
});
export type PipelineSettings = z.infer<typeof pipelineSettingsSchema>;
/** Settings as a caller may give them: every field optional. */
export type PipelineSettingsInput = z.input<typeof pipelineSettingsSchema>;

/** The contract's defaults. */
export const DEFAULT_SETTINGS: PipelineSettings = pipelineSettingsSchema.parse({});
