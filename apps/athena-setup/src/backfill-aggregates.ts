import type { AthenaStatement } from '@streampulse/analytics-sql';
import type { Lake } from '@streampulse/lake';
import { compileAthenaAggregateUnloads, type AthenaUnload } from '@streampulse/sql';
import { AthenaSetupError } from './errors.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

function dayNumber(option: string, value: string): number {
  const match = DAY.exec(value);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  // Date.UTC rolls 2025-02-30 over to March; a day that does not survive the round trip is not one.
  if (!match || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new AthenaSetupError(
      'usage',
      `--${option} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`,
    );
  }
  return ms / MS_PER_DAY;
}

/**
 * Every day from `from` to `to`, both included, as YYYY-MM-DD.
 *
 * @example
 * daysFromTo('2025-02-27', '2025-03-01'); // ['2025-02-27', '2025-02-28', '2025-03-01']
 */
export function daysFromTo(from: string, to: string): string[] {
  const first = dayNumber('from', from);
  const last = dayNumber('to', to);
  if (first > last) throw new AthenaSetupError('usage', `--from ${from} is after --to ${to}`);
  const days: string[] = [];
  for (let n = first; n <= last; n++) days.push(new Date(n * MS_PER_DAY).toISOString().slice(0, 10));
  return days;
}

/**
 * What {@link backfillAggregates} works with; the app passes real clients, tests their own.
 *
 * @example
 * const options: BackfillOptions = { lake, lakeRoot: 's3://acme-lake', processedTable: 'pg.processed.processed_data', days, run, log };
 */
export interface BackfillOptions {
  /** The lake the partitions live in, to clear a day's prefixes before Athena writes them. */
  readonly lake: Lake;
  /** The same lake as an `s3://bucket[/prefix]` root, for the UNLOAD targets. */
  readonly lakeRoot: string;
  readonly processedTable: string;
  readonly days: readonly string[];
  /** Runs one statement in Athena to completion and returns its query execution id. */
  readonly run: (statement: AthenaStatement) => Promise<string>;
  /** One line per finished day. */
  readonly log: (line: string) => void;
}

async function clear(lake: Lake, prefix: string): Promise<number> {
  const keys: string[] = [];
  for await (const object of lake.list(prefix)) keys.push(object.key);
  for (const key of keys) await lake.delete(key);
  return keys.length;
}

async function backfillDay(options: BackfillOptions, day: string, unloads: readonly AthenaUnload[]) {
  let cleared = 0;
  for (const unload of unloads) cleared += await clear(options.lake, unload.key);
  const done: string[] = [];
  for (const unload of unloads) {
    const id = await options.run({ name: `${unload.table} ${day}`, inDatabase: false, sql: unload.sql });
    done.push(`${unload.table} (query ${id})`);
  }
  options.log(
    `${day}: cleared ${cleared} old object${cleared === 1 ? '' : 's'}; unloaded ${done.join(', ')}`,
  );
}

/**
 * Recomputes the daily aggregates of `days` in Athena, one day after the other: the day's
 * partitions are emptied, then both tables are written by UNLOAD from the processed table (the
 * compiled aggregation, Trino dialect). A rerun replaces what an earlier run wrote; a failure
 * names the day it left incomplete, and the days before it are done.
 *
 * @example
 * await backfillAggregates({ lake, lakeRoot: 's3://acme-lake', processedTable: 'pg.processed.processed_data', days: daysFromTo('2025-03-01', '2025-03-31'), run, log: console.log });
 */
export async function backfillAggregates(options: BackfillOptions): Promise<void> {
  const unloads = compileAthenaAggregateUnloads(options);
  for (const day of options.days) {
    try {
      await backfillDay(
        options,
        day,
        unloads.filter((u) => u.day === day),
      );
    } catch (error) {
      if (!(error instanceof AthenaSetupError)) throw error;
      throw new AthenaSetupError(error.code, `${day} is incomplete (rerun to replace it): ${error.message}`, {
        cause: error,
      });
    }
  }
}
