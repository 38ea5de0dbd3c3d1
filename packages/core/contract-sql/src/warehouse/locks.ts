// Advisory lock keys, as (class, object) pairs of int4. The class marks them as ours so they do
// not collide with another application's advisory locks in the same database.
const STREAMPULSE = 0x53_50_57_48; // 'SPWH'

/** Held while migrations run, so two processes starting at once migrate one after the other. */
export const MIGRATION_LOCK = [STREAMPULSE, 1] as const;

/**
 * Held by each file load while it merges and commits: merges of any files serialize. A reader
 * that takes it briefly while it fixes its snapshot sees every load that took its change time
 * before, and every later load stamps a later change time (so the day stays pending).
 *
 * @example
 * await client.query('SELECT pg_advisory_lock($1, $2)', [...LOAD_LOCK]);
 */
export const LOAD_LOCK = [STREAMPULSE, 2] as const;
