import { StreamPulseError } from '@streampulse/errors';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DuckDBDateValue,
  DuckDBInstance,
  type DuckDBAppender,
  type DuckDBConnection,
} from '@duckdb/node-api';
import { activeUsersCsv, engagementCsv } from '@streampulse/aggregate';
import { LocalLake, type Lake } from '@streampulse/lake';
import {
  DAILY_ACTIVE_USERS_COLUMNS,
  DAILY_ENGAGEMENT_COLUMNS,
  dailyActiveUsersRowSchema,
  dailyEngagementRowSchema,
  aggregateObjectKey,
  dayNumber,
  partitionPrefix,
  WAREHOUSE_TABLES,
  type AggregateFormat,
  type AggregateTable,
  type ColumnSpec,
  type DailyActiveUsersRow,
  type DailyEngagementRow,
} from '@streampulse/schema';
import { compileAggregateSql, POSTGRES, sqlString } from '@streampulse/contract-sql';
import { isValidDate } from '@streampulse/transform';
import { LOAD_LOCK } from '@streampulse/contract-sql';
import { markDaysAggregated, migrate, pendingDays } from '@streampulse/warehouse';
import type pg from 'pg';
import { silentLogger, type Logger } from '@streampulse/logging';

/**
 * What an aggregation run needs; every dependency comes in here.
 *
 * @example
 * const options: AggregateJobOptions = { lake, pool, days: ['2025-03-14'], format: 'csv' };
 */
export interface AggregateJobOptions {
  lake: Lake;
  pool: pg.Pool;
  /** Days as `YYYY-MM-DD`, or `'pending'`: every day a load changed since it was last aggregated. */
  days: readonly string[] | 'pending';
  /** Default parquet. */
  format?: AggregateFormat;
  logger?: Logger;
  /** The job's clock: marks when the aggregated days were read. */
  now?: () => Date;
  /** Where Parquet files are built before they go to the lake (default: the OS temp folder). */
  scratchDir?: string;
}

/**
 * What a run did to one day.
 *
 * @example
 * const day: AggregateDayReport = { day: '2025-03-14', engagement_rows: 55, active_users_rows: 23, objects: [] };
 */
export interface AggregateDayReport {
  day: string;
  engagement_rows: number;
  active_users_rows: number;
  /** Lake keys written, one per table; empty for a day without rows (its partitions were removed). */
  objects: string[];
}

/**
 * What a run did, day by day in ascending order.
 *
 * @example
 * const report: AggregateJobReport = await runAggregateJob({ lake, pool, days: 'pending' });
 */
export interface AggregateJobReport {
  days: AggregateDayReport[];
  format: AggregateFormat;
}

/**
 * Why an aggregation run could not be done.
 *
 * @example
 * if (error instanceof AggregateJobError && error.code === 'query_failed') retryLater();
 */
export type AggregateJobErrorCode = 'invalid_day' | 'invalid_format' | 'query_failed' | 'parquet_failed';

/**
 * Raised when a run cannot be done; lake and warehouse errors pass through as they are.
 *
 * @example
 * try {
 *   await runAggregateJob({ lake, pool, days: ['2025-02-30'] });
 * } catch (error) {
 *   if (error instanceof AggregateJobError && error.code === 'invalid_day') console.error(error.message);
 * }
 */
export class AggregateJobError extends StreamPulseError<AggregateJobErrorCode> {
  override readonly name = 'AggregateJobError';
}

// ---------------------------------------------------------------------------------------------
// The SQL: compiled from the contract by @streampulse/contract-sql (the same plan DuckDB, Spark and Trino
// run), rendered for PostgreSQL. Exact sums, half-up rounding in integers, code-point order.

const AGGREGATE_SQL = compileAggregateSql(POSTGRES, {
  source: WAREHOUSE_TABLES.processed,
  day: { parameter: '$1::date' },
});
const engagementSql = AGGREGATE_SQL.engagement;
const activeUsersSql = AGGREGATE_SQL.activeUsers;

interface TableSpec<R extends object> {
  readonly table: AggregateTable;
  readonly columns: readonly ColumnSpec[];
  readonly sql: string;
  /** One result row as the contract's row, checked by its schema so a wrong query fails loudly. */
  readonly parse: (raw: Record<string, unknown>) => R;
  /** The contract's CSV text (header included) of some rows. */
  readonly csv: (rows: readonly R[]) => string;
}

/** Counts and measures arrive as text (bigint, numeric); as numbers they fit exactly. */
function typedRow(columns: readonly ColumnSpec[], raw: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of columns) {
    const value = raw[column.name];
    row[column.name] = column.duckdb === 'BIGINT' || column.duckdb === 'DOUBLE' ? Number(value) : value;
  }
  return row;
}

const ENGAGEMENT: TableSpec<DailyEngagementRow> = {
  table: 'daily_engagement',
  columns: DAILY_ENGAGEMENT_COLUMNS,
  sql: engagementSql,
  parse: (raw) => dailyEngagementRowSchema.parse(typedRow(DAILY_ENGAGEMENT_COLUMNS, raw)),
  csv: engagementCsv,
};

const ACTIVE_USERS: TableSpec<DailyActiveUsersRow> = {
  table: 'daily_active_users',
  columns: DAILY_ACTIVE_USERS_COLUMNS,
  sql: activeUsersSql,
  parse: (raw) => dailyActiveUsersRowSchema.parse(typedRow(DAILY_ACTIVE_USERS_COLUMNS, raw)),
  csv: activeUsersCsv,
};

const TABLES: readonly AggregateTable[] = [ENGAGEMENT.table, ACTIVE_USERS.table];

// ---------------------------------------------------------------------------------------------
// Reading a day from PostgreSQL: one REPEATABLE READ snapshot per day, so both tables come from
// the same rows, read through cursors so memory holds one batch at a time.

const FETCH_SIZE = 2000;

function queryFailed(day: string, error: unknown): AggregateJobError {
  const message = error instanceof Error ? error.message : String(error);
  return new AggregateJobError('query_failed', `aggregating ${day} in PostgreSQL failed: ${message}`, {
    cause: error,
  });
}

// Advisory lock class of a day being aggregated ('SPAG'); the object is the day's number. Runs
// of one day take turns, so two runs in different formats cannot each delete the other's object.
const DAY_LOCK_CLASS = 0x53_50_41_47;

/**
 * One day's rows as PostgreSQL had them at one moment, read under that day's advisory lock. The
 * session lock is taken before the transaction starts, so a run that waited still reads the rows
 * as they are once it gets the day.
 */
class DaySnapshot {
  #open = false;
  /** When the snapshot was fixed: the day counts as aggregated as of this moment. */
  readAt = new Date(0);

  private constructor(
    private readonly client: pg.PoolClient,
    readonly day: string,
  ) {}

  static async open(pool: pg.Pool, day: string, now: () => Date): Promise<DaySnapshot> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw queryFailed(day, error);
    }
    const snapshot = new DaySnapshot(client, day);
    try {
      await snapshot.query('SELECT pg_advisory_lock($1, $2)', [DAY_LOCK_CLASS, dayNumber(day)]);
      // Fix the snapshot while no load is merging: a load that stamped its change before
      // readAt is in the snapshot, and any later one stamps a later time, so its day stays
      // pending and late data is never marked as aggregated unread.
      await snapshot.query('SELECT pg_advisory_lock($1, $2)', [...LOAD_LOCK]);
      try {
        await snapshot.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        snapshot.#open = true;
        await snapshot.query('SELECT 1');
        snapshot.readAt = now();
      } finally {
        await snapshot.query('SELECT pg_advisory_unlock($1, $2)', [...LOAD_LOCK]);
      }
    } catch (error) {
      await snapshot.release();
      throw error;
    }
    return snapshot;
  }

  private async query(sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
    try {
      return await this.client.query(sql, values);
    } catch (error) {
      throw queryFailed(this.day, error);
    }
  }

  /** The table's rows in batches; a cursor per table, opened when called. */
  async rows<R extends object>(spec: TableSpec<R>): Promise<AsyncIterable<R[]> & { first: R[] }> {
    const cursor = `${spec.table}_cursor`;
    await this.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${spec.sql}`, [this.day]);
    const fetch = async (): Promise<R[]> => {
      const result = await this.query(`FETCH FORWARD ${FETCH_SIZE} FROM ${cursor}`);
      return result.rows.map((raw: Record<string, unknown>) => spec.parse(raw));
    };
    const first = await fetch();
    return {
      first,
      async *[Symbol.asyncIterator]() {
        for (let batch = first; batch.length > 0; batch = await fetch()) yield batch;
      },
    };
  }

  /** Ends the read; the day stays locked until {@link release}. */
  async commit(): Promise<void> {
    await this.query('COMMIT');
    this.#open = false;
  }

  /** Rolls back what is open, unlocks the day and returns the connection. */
  async release(): Promise<void> {
    try {
      if (this.#open) await this.client.query('ROLLBACK');
      await this.client.query('SELECT pg_advisory_unlock($1, $2)', [DAY_LOCK_CLASS, dayNumber(this.day)]);
      this.client.release();
    } catch (error) {
      // A broken connection is destroyed rather than pooled; its locks go with its session.
      this.client.release(error instanceof Error ? error : true);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Writing one table of one day as one object.

async function* csvBody<R extends object>(
  spec: TableSpec<R>,
  batches: AsyncIterable<R[]>,
  count: (n: number) => void,
): AsyncIterable<Uint8Array> {
  const header = spec.csv([]);
  const encoder = new TextEncoder();
  let first = true;
  for await (const batch of batches) {
    const text = spec.csv(batch);
    // Each batch's text starts with the header; only the first keeps it.
    yield encoder.encode(first ? text : text.slice(header.length));
    first = false;
    count(batch.length);
  }
  if (first) yield encoder.encode(header);
}

/** Builds Parquet files with DuckDB; one in-memory database per run, one thread for stable bytes. */
class ParquetBuilder {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<ParquetBuilder> {
    try {
      const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
      return new ParquetBuilder(instance, await instance.connect());
    } catch (error) {
      throw new AggregateJobError(
        'parquet_failed',
        `cannot start DuckDB to write Parquet: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  /** Writes the rows to a snappy Parquet file at `path`; returns how many rows it holds. */
  async build<R extends object>(
    spec: TableSpec<R>,
    batches: AsyncIterable<R[]>,
    path: string,
    day: string,
  ): Promise<number> {
    const columns = spec.columns.map((c) => `${c.name} ${c.duckdb}`).join(', ');
    let rows = 0;
    try {
      await this.connection.run(`CREATE OR REPLACE TABLE staged (${columns})`);
      const appender = await this.connection.createAppender('staged');
      for await (const batch of batches) {
        for (const row of batch) appendRow(appender, spec.columns, row);
        rows += batch.length;
      }
      appender.flushSync();
      appender.closeSync();
      await this.connection.run(`COPY staged TO ${sqlString(path)} (FORMAT parquet, COMPRESSION snappy)`);
      await this.connection.run('DROP TABLE staged');
    } catch (error) {
      if (error instanceof AggregateJobError) throw error;
      throw new AggregateJobError(
        'parquet_failed',
        `writing ${spec.table} of ${day} as Parquet failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    return rows;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function appendRow(appender: DuckDBAppender, columns: readonly ColumnSpec[], row: object): void {
  for (const column of columns) {
    const value = (row as Record<string, unknown>)[column.name];
    switch (column.duckdb) {
      case 'DATE': {
        const [year, month, day] = String(value).split('-').map(Number);
        appender.appendDate(DuckDBDateValue.fromParts({ year: year ?? 0, month: month ?? 0, day: day ?? 0 }));
        break;
      }
      case 'BIGINT':
        appender.appendBigInt(BigInt(value as number));
        break;
      case 'DOUBLE':
        appender.appendDouble(value as number);
        break;
      default:
        appender.appendVarchar(String(value));
    }
  }
  appender.endRow();
}

/**
 * A local lake keeps the folders of deleted objects; S3 has none. Removes a day's empty partition
 * folders (day, then month, then year) so a day without rows leaves no partition behind anywhere.
 */
async function pruneLocalPartition(lake: Lake, prefix: string): Promise<void> {
  if (!(lake instanceof LocalLake)) return;
  const segments = prefix.split('/').filter(Boolean);
  // The table folder itself (the segments before year=) stays.
  for (let end = segments.length; end > 0 && /^(year|month|day)=/.test(segments[end - 1] ?? ''); end -= 1) {
    try {
      await rmdir(join(lake.root, ...segments.slice(0, end)));
    } catch {
      return; // not empty (another object, or a write in flight) or already gone
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The job.

function checkDays(days: readonly string[]): string[] {
  for (const day of days) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
    if (!match || !isValidDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
      throw new AggregateJobError('invalid_day', `day ${JSON.stringify(day)} is not a date as YYYY-MM-DD`);
    }
  }
  return [...new Set(days)].sort();
}

interface RunContext {
  readonly lake: Lake;
  readonly format: AggregateFormat;
  readonly scratch: () => Promise<{ dir: string; parquet: ParquetBuilder }>;
}

async function writeTable<R extends object>(
  context: RunContext,
  spec: TableSpec<R>,
  day: string,
  batches: AsyncIterable<R[]>,
): Promise<{ key: string; rows: number }> {
  const { lake, format } = context;
  const key = aggregateObjectKey(spec.table, day, format);
  let rows = 0;
  if (format === 'csv') {
    await lake.write(
      key,
      csvBody(spec, batches, (n) => (rows += n)),
      { contentType: 'text/csv' },
    );
  } else {
    const { dir, parquet } = await context.scratch();
    const path = join(dir, `${spec.table}-${day}.parquet`);
    try {
      rows = await parquet.build(spec, batches, path, day);
      await lake.write(key, createReadStream(path), { contentType: 'application/vnd.apache.parquet' });
    } finally {
      await rm(path, { force: true });
    }
  }
  // Written first, so readers never find the day empty; a switch of format then drops the old one.
  // A leftover of another format or name must not sit beside the day's one object.
  await lake.deletePrefix(partitionPrefix(spec.table, day), { keep: key });
  return { key, rows };
}

async function aggregateDay(
  context: RunContext,
  pool: pg.Pool,
  day: string,
  now: () => Date,
): Promise<AggregateDayReport & { readAt: Date }> {
  const snapshot = await DaySnapshot.open(pool, day, now);
  try {
    const engagement = await snapshot.rows(ENGAGEMENT);
    if (engagement.first.length === 0) {
      await snapshot.commit();
      for (const table of TABLES) {
        const prefix = partitionPrefix(table, day);
        await context.lake.deletePrefix(prefix);
        await pruneLocalPartition(context.lake, prefix);
      }
      return { day, engagement_rows: 0, active_users_rows: 0, objects: [], readAt: snapshot.readAt };
    }
    const written = await writeTable(context, ENGAGEMENT, day, engagement);
    const activeUsers = await writeTable(context, ACTIVE_USERS, day, await snapshot.rows(ACTIVE_USERS));
    await snapshot.commit();
    return {
      day,
      engagement_rows: written.rows,
      active_users_rows: activeUsers.rows,
      objects: [written.key, activeUsers.key],
      readAt: snapshot.readAt,
    };
  } finally {
    await snapshot.release();
  }
}

/**
 * The aggregation job: for each day, computes `daily_engagement` (GROUP BY) and
 * `daily_active_users` (GROUPING SETS, `ALL` where not grouped) in PostgreSQL from
 * `processed.processed_data`, and writes each as ONE object of its day's partition
 * (`part-0.parquet`, snappy, or `part-0.csv` exactly as the contract's CSV), replacing the
 * previous one in a single atomic write; the other format's object is deleted after. A day
 * without rows loses its partitions. Runs of the same day take turns (a PostgreSQL advisory
 * lock). Days are then marked aggregated as of the job's clock, read before the rows, so a load
 * committed meanwhile leaves its day pending. Reruns write identical bytes.
 *
 * @example
 * const report = await runAggregateJob({ lake: openLake('./lake'), pool, days: 'pending' });
 * for (const day of report.days) console.log(day.day, day.engagement_rows);
 */
export async function runAggregateJob(options: AggregateJobOptions): Promise<AggregateJobReport> {
  const { lake, pool, format = 'parquet', logger = silentLogger, now = () => new Date() } = options;
  if (format !== 'parquet' && format !== 'csv') {
    throw new AggregateJobError('invalid_format', `format ${JSON.stringify(format)} is not parquet or csv`);
  }
  const explicitDays = options.days === 'pending' ? undefined : checkDays(options.days);
  await migrate(pool);
  const days = explicitDays ?? (await pendingDays(pool));
  logger.info('aggregating', { days: days.length, format });

  let scratch: Promise<{ dir: string; parquet: ParquetBuilder }> | undefined;
  const context: RunContext = {
    lake,
    format,
    scratch: () =>
      (scratch ??= (async () => {
        const base = options.scratchDir ?? tmpdir();
        await mkdir(base, { recursive: true });
        return {
          dir: await mkdtemp(join(base, 'streampulse-aggregate-')),
          parquet: await ParquetBuilder.open(),
        };
      })()),
  };
  const reports: AggregateDayReport[] = [];
  try {
    for (const day of days) {
      const { readAt, ...report } = await aggregateDay(context, pool, day, now);
      await markDaysAggregated(pool, [day], readAt);
      reports.push(report);
      if (report.objects.length === 0) logger.info('day has no rows; its partitions were removed', { day });
      else logger.info('day aggregated', { ...report });
    }
  } finally {
    if (scratch) {
      const { dir, parquet } = await scratch;
      parquet.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { days: reports, format };
}
