import { describe, expect, it } from 'vitest';
import { planLocalJob } from '../src/local/index.js';

describe('planLocalJob', () => {
  it('maps --input_path s3://bucket/key to that key of the local lake', () => {
    const plan = planLocalJob(
      'streampulse-etl',
      { '--input_path': 's3://acme/raw/playback/dt=2025-03-10/a b.csv' },
      {},
    );
    expect(plan).toMatchObject({ kind: 'etl', inputKey: 'raw/playback/dt=2025-03-10/a b.csv' });
  });

  it('reads --reporting_tz and --source_tz into the ETL settings', () => {
    const plan = planLocalJob(
      'etl',
      {
        '--input_path': 's3://acme/raw/playback/a.csv',
        '--reporting_tz': 'UTC',
        '--source_tz': 'Asia/Tokyo',
      },
      {},
    );
    expect(plan).toMatchObject({ settings: { reportingTimeZone: 'UTC', sourceTimeZone: 'Asia/Tokyo' } });
  });

  it('turns --run_date and --lookback_days into the days to aggregate, oldest first', () => {
    const plan = planLocalJob(
      'streampulse-aggregate',
      {
        '--run_date': '2025-03-01',
        '--lookback_days': '2',
        '--output_path': 's3://acme/analytics/daily_aggregates/',
        '--secret_arn': 'arn:aws:secretsmanager:ap-south-1:1:secret:db',
      },
      {},
    );
    expect(plan).toEqual({
      kind: 'aggregate',
      days: ['2025-02-27', '2025-02-28', '2025-03-01'],
      format: 'parquet',
    });
  });

  it('uses the job kind named for the job before guessing from the arguments', () => {
    expect(() =>
      planLocalJob('nightly', { '--input_path': 's3://a/raw/playback/x.csv' }, { nightly: 'aggregate' }),
    ).toThrow(/--run_date/);
  });

  it.each([
    [{ '--input_path': 'raw/playback/a.csv' }, /s3:\/\/bucket\/key/],
    [{ '--run_date': '2025-02-30' }, /--run_date/],
    [{ '--run_date': '2025-03-01', '--lookback_days': '-1' }, /--lookback_days/],
    [{ '--run_date': '2025-03-01', '--output_path': 's3://acme/somewhere/' }, /--output_path/],
    [{ '--run_date': '2025-03-01', '--format': 'orc' }, /--format/],
  ])('rejects bad arguments %j as invalid_request', (args, message) => {
    expect(() => planLocalJob('job', args, {})).toThrow(message);
    expect(() => planLocalJob('job', args, {})).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });

  it('names a job it cannot recognise as job_not_found', () => {
    expect(() => planLocalJob('mystery', {}, {})).toThrow(expect.objectContaining({ code: 'job_not_found' }));
  });
});
