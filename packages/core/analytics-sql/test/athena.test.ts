import { describe, expect, it } from 'vitest';
import { AnalyticsSqlError, athenaScript, athenaStatements, DASHBOARD_VIEWS } from '../src/index.js';

const sqlOf = (format: 'parquet' | 'csv') =>
  athenaStatements({ bucket: 'acme-lake', prefix: 'prod/streampulse', format });

describe('athenaStatements', () => {
  it('declares the Parquet tables and views as in the snapshot', () => {
    expect(athenaScript(sqlOf('parquet'))).toMatchSnapshot();
  });

  it('declares the CSV tables and views as in the snapshot', () => {
    expect(athenaScript(sqlOf('csv'))).toMatchSnapshot();
  });

  it('creates the database first, outside any database, and everything else inside it', () => {
    const [first, ...rest] = sqlOf('parquet');
    expect(first).toEqual({
      name: 'database streampulse',
      inDatabase: false,
      sql: 'CREATE DATABASE IF NOT EXISTS streampulse',
    });
    expect(rest.every((s) => s.inDatabase)).toBe(true);
    expect(rest.map((s) => s.name)).toEqual([
      'table daily_engagement',
      'table daily_active_users',
      ...DASHBOARD_VIEWS.map((v) => `view ${v.name}`),
    ]);
  });

  it('points each table at its analytics prefix and projects integer partitions with two-digit months and days', () => {
    const engagement = sqlOf('parquet')[1]?.sql ?? '';
    expect(engagement).toContain("LOCATION 's3://acme-lake/prod/streampulse/analytics/daily_aggregates/'");
    expect(engagement).toContain('PARTITIONED BY (`year` int, `month` int, `day` int)');
    expect(engagement).toContain("'projection.month.digits' = '2'");
    expect(engagement).toContain("'projection.day.digits' = '2'");
    expect(engagement).toContain(
      "'storage.location.template' = 's3://acme-lake/prod/streampulse/analytics/daily_aggregates/year=${year}/month=${month}/day=${day}/'",
    );
    const activeUsers = sqlOf('parquet')[2]?.sql ?? '';
    expect(activeUsers).toContain("LOCATION 's3://acme-lake/prod/streampulse/analytics/daily_active_users/'");
  });

  it('serves CSV through views named like the tables, with event_date cast back to a date', () => {
    const names = sqlOf('csv').map((s) => s.name);
    expect(names.slice(1, 5)).toEqual([
      'table daily_engagement_csv',
      'view daily_engagement',
      'table daily_active_users_csv',
      'view daily_active_users',
    ]);
    const raw = sqlOf('csv')[1]?.sql ?? '';
    expect(raw).toContain("'skip.header.line.count' = '1'");
    expect(raw).toContain('OpenCSVSerde');
    expect(sqlOf('csv')[2]?.sql).toContain('CAST(event_date AS DATE) AS event_date');
  });

  it('puts the tables at the bucket root when the lake has no prefix', () => {
    const sql = athenaStatements({ bucket: 'acme-lake' })[1]?.sql ?? '';
    expect(sql).toContain("LOCATION 's3://acme-lake/analytics/daily_aggregates/'");
  });

  it('projects the years it is given', () => {
    const sql = athenaStatements({ bucket: 'b', years: { first: 2024, last: 2026 } })[1]?.sql ?? '';
    expect(sql).toContain("'projection.year.range' = '2024,2026'");
  });

  it.each([
    [{ bucket: 'b', prefix: "it's" }, 'invalid_location', /it's/],
    [{ bucket: 'b', prefix: '/lead' }, 'invalid_location', /\/lead/],
    [{ bucket: 'no/slash' }, 'invalid_location', /no\/slash/],
    [{ bucket: 'b', years: { first: 2030, last: 2020 } }, 'invalid_years', /2030-2020/],
  ])('refuses %j naming the setting', (options, code, message) => {
    let caught: unknown;
    try {
      athenaStatements(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AnalyticsSqlError);
    expect((caught as AnalyticsSqlError).code).toBe(code);
    expect((caught as AnalyticsSqlError).message).toMatch(message);
  });
});
