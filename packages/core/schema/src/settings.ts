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

/**
 * What {@link parseSettingsNamed} found: the settings, or one message naming the bad one.
 *
 * @example
 * const result: NamedSettingsResult = { success: false, message: 'REPORTING_TZ: unknown time zone "Mars"' };
 */
export type NamedSettingsResult =
  | { readonly success: true; readonly data: PipelineSettings }
  | { readonly success: false; readonly message: string };

/**
 * Validates settings given under the caller's own names (command-line flags, environment
 * variables): an absent value takes the contract's default, and a bad one comes back as one
 * message that leads with its name, as the caller's user wrote it.
 *
 * @example
 * parseSettingsNamed({ reportingTimeZone: 'Mars' }, { sourceTimeZone: 'SOURCE_TZ', reportingTimeZone: 'REPORTING_TZ', maxDurationMinutes: 'MAX_DURATION_MIN' });
 * // { success: false, message: 'REPORTING_TZ: unknown time zone "Mars" (expected an IANA name such as Asia/Kolkata)' }
 */
export function parseSettingsNamed(
  input: PipelineSettingsInput,
  names: Readonly<Record<keyof PipelineSettings, string>>,
): NamedSettingsResult {
  const result = pipelineSettingsSchema.safeParse(input);
  if (result.success) return { success: true, data: result.data };
  const issue = result.error.issues[0];
  const field = String(issue?.path[0]);
  const name = names[field as keyof PipelineSettings] ?? field;
  return { success: false, message: `${name}: ${issue?.message ?? 'invalid value'}` };
}
