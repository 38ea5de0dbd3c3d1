// Advisory lock keys, as (class, object) pairs of int4. The class marks them as ours so they do
// not collide with another application's advisory locks in the same database.
const STREAMPULSE = 0x53_50_57_48; // 'SPWH'

/** Held while migrations run, so two processes starting at once migrate one after the other. */
export const MIGRATION_LOCK = [STREAMPULSE, 1] as const;

/** Held by each file load for its whole transaction: loads of any files serialize. */
export const LOAD_LOCK = [STREAMPULSE, 2] as const;
