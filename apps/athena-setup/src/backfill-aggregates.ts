import type { AthenaStatement } from '@streampulse/analytics-sql';
import type { Lake } from '@streampulse/lake';
import { calendarDays, isCalendarDay } from '@streampulse/schema';
import { compileAthenaAggregateUnloads, type AthenaUnload } from '@streampulse/contract-sql';
import { AthenaSetupError } from './errors.js';
import type { Logger } from '@streampulse/logging';

/**
 * Every day from `from` to `to`, both included, as YYYY-MM-DD; a bad day or an end before the
 * start is a usage error naming the option.
 *
 * @example
 * daysFromTo('2025-02-27', '2025-03-01'); // ['2025-02-27', '2025-02-28', '2025-03-01']
 */
export function daysFromTo(from: string, to: string): string[] {
  for (const [option, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isCalendarDay(value)) {
      throw new AthenaSetupError(
        'usage',
        `--${option} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`,
      );
    }
  }
  if (from > to) throw new AthenaSetupError('usage', `--from ${from} is after --to ${to}`);
  return calendarDays(from, to);
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
  /** Told of each finished day (one info entry, its message a line for people). */
  readonly logger: Logger;
  /** Days in flight at once (default 1). Each day is still cleared, then unloaded, in turn. */
  readonly concurrency?: number;
}

async function backfillDay(options: BackfillOptions, day: string, unloads: readonly AthenaUnload[]) {
  let cleared = 0;
  for (const unload of unloads) cleared += await options.lake.deletePrefix(unload.key);
  const done: string[] = [];
  for (const unload of unloads) {
    const id = await options.run({ name: `${unload.table} ${day}`, inDatabase: false, sql: unload.sql });
    done.push(`${unload.table} (query ${id})`);
  }
  options.logger.info(
    `${day}: cleared ${cleared} old object${cleared === 1 ? '' : 's'}; unloaded ${done.join(', ')}`,
    { day, cleared },
  );
}

/**
 * Recomputes the daily aggregates of `days` in Athena: per day, its partitions are emptied, then
 * both tables are written by UNLOAD from the processed table (the compiled aggregation, Trino
 * dialect). Days run `concurrency` at a time (default 1: one after the other, in day order). A
 * rerun replaces what an earlier run wrote. After a failure no further day starts; the error names
 * every day left incomplete and how many never started, and carries the first day's failure.
 *
 * @example
 * await backfillAggregates({ lake, lakeRoot: 's3://acme-lake', processedTable: 'pg.processed.processed_data', days: daysFromTo('2025-03-01', '2025-03-31'), run, log: console.log });
 */
export async function backfillAggregates(options: BackfillOptions): Promise<void> {
  const unloads = compileAthenaAggregateUnloads(options);
  const waiting = [...options.days];
  const failed: { day: string; error: unknown }[] = [];
  const worker = async (): Promise<void> => {
    // A day is taken only while nothing has failed, so `waiting` keeps every day not started.
    while (failed.length === 0) {
      const day = waiting.shift();
      if (day === undefined) return;
      try {
        await backfillDay(
          options,
          day,
          unloads.filter((u) => u.day === day),
        );
      } catch (error) {
        failed.push({ day, error });
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 1, options.days.length));
  await Promise.all(Array.from({ length: workers }, worker));
  const [first] = failed.sort((a, b) => (a.day < b.day ? -1 : 1));
  if (!first) return;
  // Not Athena's answer (S3 refused a delete, a bug): as it is; its message names the object.
  if (!(first.error instanceof AthenaSetupError)) throw first.error;
  const incomplete = failed.map((f) => f.day).join(', ');
  const notStarted = waiting.length === 0 ? '' : `; ${waiting.length} later day(s) not started`;
  throw new AthenaSetupError(
    first.error.code,
    `${incomplete} ${failed.length === 1 ? 'is' : 'are'} incomplete (rerun to replace ${failed.length === 1 ? 'it' : 'them'}${notStarted}): ${first.error.message}`,
    { cause: first.error },
  );
}
