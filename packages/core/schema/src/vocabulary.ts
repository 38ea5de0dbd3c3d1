/**
 * Why a playback row was rejected, in the order the rules are checked: the first rule a row
 * breaks is its reason.
 */
export const REJECTION_REASONS = [
  'malformed_row',
  'missing_session_id',
  'missing_user_id',
  'missing_content_id',
  'invalid_start_time',
  'invalid_end_time',
  'non_positive_duration',
  'duration_too_long',
] as const;

/** A reason code from {@link REJECTION_REASONS}. */
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** The standardized device types a processed row can hold. */
export const DEVICE_TYPES = ['tv', 'mobile', 'tablet', 'web', 'console', 'unknown', 'other'] as const;

/** A value of {@link DEVICE_TYPES}. */
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** Text for a title, genre or region that is missing or empty after normalization. */
export const UNKNOWN = 'Unknown';

/** The value of a grouping column that a `daily_active_users` row does not group on. */
export const ALL = 'ALL';
