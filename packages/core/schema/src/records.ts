import { z } from 'zod';
import { DEVICE_TYPES } from './vocabulary.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const epochMillis = z.number().int();
const nonEmpty = z.string().min(1);

/**
 * A playback record after its field names were mapped to canonical fields, before any value
 * rule ran: values are whatever the file held (strings for CSV, any JSON value for JSON).
 */
export const rawPlaybackRecordSchema = z.object({
  session_id: z.unknown().optional(),
  user_id: z.unknown().optional(),
  content_id: z.unknown().optional(),
  device_type: z.unknown().optional(),
  start_time: z.unknown().optional(),
  end_time: z.unknown().optional(),
});
export type RawPlaybackRecord = z.infer<typeof rawPlaybackRecordSchema>;

/** A `content_metadata` record after field mapping. */
export const rawContentRecordSchema = z.object({
  content_id: z.unknown().optional(),
  title: z.unknown().optional(),
  genre: z.unknown().optional(),
});
export type RawContentRecord = z.infer<typeof rawContentRecordSchema>;

/** A `user_profiles` record after field mapping. */
export const rawUserRecordSchema = z.object({
  user_id: z.unknown().optional(),
  region: z.unknown().optional(),
});
export type RawUserRecord = z.infer<typeof rawUserRecordSchema>;

/**
 * A row of `processed.processed_data`: the 11 standardized columns. Instants are epoch
 * milliseconds (UTC); `duration_min` holds two decimals exactly as the contract rounds them.
 *
 * @example
 * processedRowSchema.parse({ session_id: 'S1', ..., duration_min: 45.51, event_date: '2025-03-10' });
 */
export const processedRowSchema = z.object({
  session_id: nonEmpty,
  user_id: nonEmpty,
  content_id: nonEmpty,
  title: nonEmpty,
  genre: nonEmpty,
  region: nonEmpty,
  device_type: z.enum(DEVICE_TYPES),
  start_time: epochMillis,
  end_time: epochMillis,
  duration_min: z.number().nonnegative(),
  event_date: isoDate,
});
export type ProcessedRow = z.infer<typeof processedRowSchema>;

/** A row of `daily_engagement`: one per (event_date, region, device_type, content_id, title, genre). */
export const dailyEngagementRowSchema = z.object({
  event_date: isoDate,
  region: nonEmpty,
  device_type: nonEmpty,
  content_id: nonEmpty,
  title: nonEmpty,
  genre: nonEmpty,
  unique_viewers: z.number().int().nonnegative(),
  sessions: z.number().int().positive(),
  total_watch_minutes: z.number().nonnegative(),
  total_watch_hours: z.number().nonnegative(),
  avg_session_duration_min: z.number().nonnegative(),
});
export type DailyEngagementRow = z.infer<typeof dailyEngagementRowSchema>;

/** A row of `daily_active_users`: the whole day, or one region, device type or genre (others `ALL`). */
export const dailyActiveUsersRowSchema = z.object({
  event_date: isoDate,
  region: nonEmpty,
  device_type: nonEmpty,
  genre: nonEmpty,
  active_users: z.number().int().nonnegative(),
  sessions: z.number().int().positive(),
  total_watch_minutes: z.number().nonnegative(),
  total_watch_hours: z.number().nonnegative(),
});
export type DailyActiveUsersRow = z.infer<typeof dailyActiveUsersRowSchema>;
