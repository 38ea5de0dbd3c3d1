import {
  ATHENA_DATABASE,
  AGGREGATE_COLUMNS,
  athenaScript,
  athenaStatements,
  PARTITION_COLUMNS,
} from '@streampulse/analytics-sql';
import { compileAthenaAggregateUnloads } from '@streampulse/contract-sql';
import { describe, expect, it } from 'vitest';
import { parseAthenaTable, splitAthenaScript, trinoTableSql, trinoType, unloadParts } from '../src/index.js';

const parquetTables = athenaStatements({ bucket: 'acme-lake', prefix: 'prod' }).filter((s) =>
  s.name.startsWith('table '),
);

describe('parseAthenaTable', () => {
  it('reads the columns, partitions, format and location of each rendered Parquet table', () => {
    expect(parquetTables.map((s) => parseAthenaTable(s.sql))).toEqual([
      {
        name: `${ATHENA_DATABASE}.daily_engagement`,
        columns: AGGREGATE_COLUMNS.daily_engagement.map((c) => ({ name: c.name, type: c.athena })),
        partitions: PARTITION_COLUMNS.map((name) => ({ name, type: 'int' })),
        format: 'PARQUET',
        location: 's3://acme-lake/prod/analytics/daily_aggregates/',
      },
      {
        name: `${ATHENA_DATABASE}.daily_active_users`,
        columns: AGGREGATE_COLUMNS.daily_active_users.map((c) => ({ name: c.name, type: c.athena })),
        partitions: PARTITION_COLUMNS.map((name) => ({ name, type: 'int' })),
        format: 'PARQUET',
        location: 's3://acme-lake/prod/analytics/daily_active_users/',
      },
    ]);
  });

  it('refuses a statement of another shape, such as the CSV tables', () => {
    const csv = athenaStatements({ bucket: 'acme-lake', format: 'csv' }).find((s) =>
      s.name.startsWith('table '),
    );
    expect(() => parseAthenaTable(csv?.sql ?? '')).toThrow(/not a Parquet CREATE EXTERNAL TABLE/);
  });
});

describe('trinoTableSql', () => {
  it("declares the same columns in Trino's spelling, partition columns last", () => {
    const sql = trinoTableSql(parseAthenaTable(parquetTables[1]?.sql ?? ''), 'local:///lake/dau');
    expect(sql).toBe(
      [
        `CREATE TABLE ${ATHENA_DATABASE}.daily_active_users (`,
        '  event_date date,',
        '  region varchar,',
        '  device_type varchar,',
        '  genre varchar,',
        '  active_users bigint,',
        '  sessions bigint,',
        '  total_watch_minutes double,',
        '  total_watch_hours double,',
        '  year integer,',
        '  month integer,',
        '  day integer',
        ") WITH (format = 'PARQUET', external_location = 'local:///lake/dau', partitioned_by = ARRAY['year', 'month', 'day'])",
      ].join('\n'),
    );
  });

  it.each([
    ['string', 'varchar'],
    ['int', 'integer'],
    ['decimal(10,2)', 'decimal(10,2)'],
    ['timestamp', 'timestamp'],
  ])('spells Hive type %s as %s', (hive, trino) => {
    expect(trinoType(hive)).toBe(trino);
  });
});

describe('unloadParts', () => {
  it("splits the backfill's UNLOAD into its SELECT, target and properties", () => {
    const [unload] = compileAthenaAggregateUnloads({
      lakeRoot: 's3://acme-lake',
      processedTable: 'processed_data',
      days: ['2025-03-14'],
    });
    const parts = unloadParts(unload?.sql ?? '');
    expect(parts.location).toBe('s3://acme-lake/analytics/daily_aggregates/year=2025/month=03/day=14/');
    expect(parts.properties).toBe("format = 'PARQUET', compression = 'SNAPPY'");
    expect(parts.select.startsWith('SELECT CAST(event_date AS DATE) AS event_date')).toBe(true);
    expect(unload?.sql).toBe(`UNLOAD (${parts.select}) TO '${parts.location}' WITH (${parts.properties})`);
  });

  it('refuses anything else', () => {
    expect(() => unloadParts('SELECT 1')).toThrow(/not an UNLOAD/);
  });
});

describe('splitAthenaScript', () => {
  it.each(['parquet', 'csv'] as const)('gives back every statement of the printed %s script', (format) => {
    const statements = athenaStatements({ bucket: 'acme-lake', prefix: 'prod', format });
    expect(splitAthenaScript(athenaScript(statements))).toEqual(
      statements.map((s) => ({ name: s.name, sql: s.sql })),
    );
  });
});
