import { partitionPrefix } from '@streampulse/schema';
import { describe, expect, it } from 'vitest';
import { compileAggregateSql, compileAthenaAggregateUnloads, SqlPlanError, TRINO } from '../src/index.js';

const processedTable = '"pg"."processed"."processed_data"';

describe('compileAthenaAggregateUnloads', () => {
  it('unloads both tables of each day, in day order, into the partitions the aggregation job writes', () => {
    const unloads = compileAthenaAggregateUnloads({
      lakeRoot: 's3://acme-lake/prod/',
      processedTable,
      days: ['2025-03-14', '2025-03-15'],
    });
    expect(unloads.map((u) => [u.day, u.table, u.key])).toEqual([
      ['2025-03-14', 'daily_engagement', partitionPrefix('daily_engagement', '2025-03-14')],
      ['2025-03-14', 'daily_active_users', partitionPrefix('daily_active_users', '2025-03-14')],
      ['2025-03-15', 'daily_engagement', partitionPrefix('daily_engagement', '2025-03-15')],
      ['2025-03-15', 'daily_active_users', partitionPrefix('daily_active_users', '2025-03-15')],
    ]);
    expect(unloads[0]?.sql).toMatch(
      /\) TO 's3:\/\/acme-lake\/prod\/analytics\/daily_aggregates\/year=2025\/month=03\/day=14\/' WITH \(format = 'PARQUET', compression = 'SNAPPY'\)$/,
    );
  });

  it('selects the aggregation every engine runs, in the Trino dialect, typed as the Athena tables', () => {
    const [engagement, activeUsers] = compileAthenaAggregateUnloads({
      lakeRoot: 's3://acme-lake',
      processedTable,
      days: ['2025-03-14'],
    });
    const compiled = compileAggregateSql(TRINO, { source: processedTable, day: '2025-03-14' });
    expect(engagement?.sql).toContain(`FROM (${compiled.engagement}) AS computed`);
    expect(activeUsers?.sql).toContain(`FROM (${compiled.activeUsers}) AS computed`);
    expect(engagement?.sql).toContain('CAST(event_date AS DATE) AS event_date');
    expect(engagement?.sql).toContain('CAST(unique_viewers AS BIGINT) AS unique_viewers');
    expect(engagement?.sql).toContain('CAST(total_watch_hours AS DOUBLE) AS total_watch_hours');
    expect(activeUsers?.sql).toContain('CAST(active_users AS BIGINT) AS active_users');
  });

  it('matches the snapshot of one day', () => {
    expect(
      compileAthenaAggregateUnloads({
        lakeRoot: 's3://acme-lake/prod',
        processedTable,
        days: ['2025-03-14'],
      }),
    ).toMatchSnapshot();
  });

  it.each([
    ['processed.processed_data; DROP TABLE x', /processed table/],
    ['a.b.c.d', /processed table/],
    ['"unterminated.processed_data', /processed table/],
  ])('refuses the processed table %j', (table, message) => {
    expect(() =>
      compileAthenaAggregateUnloads({
        lakeRoot: 's3://acme-lake',
        processedTable: table,
        days: ['2025-03-14'],
      }),
    ).toThrow(message);
  });

  it.each(["s3://acme-lake/it's", 's3://acme-lake/a b', './lake', 'acme-lake'])(
    'refuses the lake root %j',
    (lakeRoot) => {
      expect(() => compileAthenaAggregateUnloads({ lakeRoot, processedTable, days: ['2025-03-14'] })).toThrow(
        SqlPlanError,
      );
    },
  );

  it('refuses a day that is not YYYY-MM-DD', () => {
    expect(() =>
      compileAthenaAggregateUnloads({ lakeRoot: 's3://acme-lake', processedTable, days: ['14/03/2025'] }),
    ).toThrow(expect.objectContaining({ code: 'invalid_day' }) as Error);
  });
});
