import { describe, expect, it } from 'vitest';
import { localTableSql, partitionGlob } from '../src/index.js';

describe('localTableSql', () => {
  it('reads Parquet and CSV objects together with integer partition columns', () => {
    const sql = localTableSql('daily_active_users', {
      parquetGlob: partitionGlob('/lake/analytics/daily_active_users/', 'parquet'),
      csvGlob: partitionGlob('/lake/analytics/daily_active_users', 'csv'),
    });
    expect(sql).toMatchInlineSnapshot(`
      "CREATE OR REPLACE VIEW daily_active_users AS
      SELECT CAST(event_date AS DATE) AS event_date, CAST(region AS VARCHAR) AS region, CAST(device_type AS VARCHAR) AS device_type, CAST(genre AS VARCHAR) AS genre, CAST(active_users AS BIGINT) AS active_users, CAST(sessions AS BIGINT) AS sessions, CAST(total_watch_minutes AS DOUBLE) AS total_watch_minutes, CAST(total_watch_hours AS DOUBLE) AS total_watch_hours, year, month, day
      FROM read_parquet('/lake/analytics/daily_active_users/year=*/month=*/day=*/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER})
      UNION ALL
      SELECT CAST(event_date AS DATE) AS event_date, CAST(region AS VARCHAR) AS region, CAST(device_type AS VARCHAR) AS device_type, CAST(genre AS VARCHAR) AS genre, CAST(active_users AS BIGINT) AS active_users, CAST(sessions AS BIGINT) AS sessions, CAST(total_watch_minutes AS DOUBLE) AS total_watch_minutes, CAST(total_watch_hours AS DOUBLE) AS total_watch_hours, year, month, day
      FROM read_csv('/lake/analytics/daily_active_users/year=*/month=*/day=*/*.csv', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {'event_date': 'DATE', 'region': 'VARCHAR', 'device_type': 'VARCHAR', 'genre': 'VARCHAR', 'active_users': 'BIGINT', 'sessions': 'BIGINT', 'total_watch_minutes': 'DOUBLE', 'total_watch_hours': 'DOUBLE'}, hive_partitioning = true, hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER})"
    `);
  });

  it('defines a typed table with no rows when the lake holds no objects yet', () => {
    const sql = localTableSql('daily_engagement', {});
    expect(sql).toContain('CAST(NULL AS DATE) AS event_date');
    expect(sql).toContain('CAST(NULL AS INTEGER) AS day WHERE false');
    expect(sql).not.toContain('read_');
  });

  it('escapes a quote in a folder name so the glob stays one literal', () => {
    expect(localTableSql('daily_engagement', { csvGlob: "/tmp/it's/x.csv" })).toContain(
      "read_csv('/tmp/it''s/x.csv'",
    );
  });
});
