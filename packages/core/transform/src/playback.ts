import type { DeviceType, PipelineSettings, RejectionReason } from '@streampulse/schema';
import { durationHundredths, hundredthsToMinutes } from './duration.js';
import type { CanonicalRecord } from './fields.js';
import { timeZone, type TimeZone } from './time-zone.js';
import { parseTimestamp, type TimestampContext } from './timestamps.js';
import { normalizeDeviceType, normalizeIdentifier } from './values.js';

/** A playback row that passed every rule, before the join adds title, genre and region. */
export interface ValidPlayback {
  readonly session_id: string;
  readonly user_id: string;
  readonly content_id: string;
  readonly device_type: DeviceType;
  /** Epoch milliseconds, UTC. */
  readonly start_time: number;
  /** Epoch milliseconds, UTC. */
  readonly end_time: number;
  /** Duration in hundredths of a minute (exact). */
  readonly duration_hundredths: number;
  readonly event_date: string;
}

/** The outcome of the row rules: a valid row, or the first rule it broke. */
export type PlaybackResult =
  | { readonly ok: true; readonly value: ValidPlayback }
  | { readonly ok: false; readonly reason: RejectionReason };

/** Settings resolved once per run: zones built, limits in milliseconds. */
export interface PlaybackRules extends TimestampContext {
  readonly reportingZone: TimeZone;
  readonly maxDurationMillis: number;
}

/**
 * Resolves pipeline settings into the form the row rules use.
 *
 * @example
 * const rules = playbackRules(pipelineSettingsSchema.parse({}));
 */
export function playbackRules(settings: PipelineSettings): PlaybackRules {
  return {
    sourceZone: timeZone(settings.sourceTimeZone),
    reportingZone: timeZone(settings.reportingTimeZone),
    maxDurationMillis: settings.maxDurationMinutes * 60_000,
  };
}

/**
 * Applies the contract's playback rules, in order, to one field-mapped record: identifiers,
 * timestamps, duration. The first rule broken is the reason.
 *
 * @example
 * const result = validatePlayback({ session_id: 'S1', user_id: 'U1', content_id: 'C1',
 *   start_time: '2025-03-10T10:00:00Z', end_time: '2025-03-10T09:00:00Z' }, rules);
 * // { ok: false, reason: 'non_positive_duration' }
 */
export function validatePlayback(record: CanonicalRecord, rules: PlaybackRules): PlaybackResult {
  const session_id = normalizeIdentifier(record.session_id);
  if (session_id === undefined) return { ok: false, reason: 'missing_session_id' };
  const user_id = normalizeIdentifier(record.user_id);
  if (user_id === undefined) return { ok: false, reason: 'missing_user_id' };
  const content_id = normalizeIdentifier(record.content_id);
  if (content_id === undefined) return { ok: false, reason: 'missing_content_id' };
  const start_time = parseTimestamp(record.start_time, rules);
  if (start_time === undefined) return { ok: false, reason: 'invalid_start_time' };
  const end_time = parseTimestamp(record.end_time, rules);
  if (end_time === undefined) return { ok: false, reason: 'invalid_end_time' };
  if (end_time <= start_time) return { ok: false, reason: 'non_positive_duration' };
  if (end_time - start_time > rules.maxDurationMillis) return { ok: false, reason: 'duration_too_long' };
  return {
    ok: true,
    value: {
      session_id,
      user_id,
      content_id,
      device_type: normalizeDeviceType(record.device_type),
      start_time,
      end_time,
      duration_hundredths: durationHundredths(start_time, end_time),
      event_date: rules.reportingZone.dateOf(start_time),
    },
  };
}

/** `duration_min` of a valid row as the processed table stores it. */
export function durationMinutes(row: ValidPlayback): number {
  return hundredthsToMinutes(row.duration_hundredths);
}
