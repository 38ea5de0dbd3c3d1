import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  contextFromArgs,
  InfraError,
  parseStackSettings,
  stackContext,
  STACK_SETTING_NAMES,
} from '../src/index.js';
import { synthTemplate } from './support.js';

describe('the stack settings', () => {
  it('default every setting but the e-mail and the bucket names', () => {
    expect(parseStackSettings({})).toEqual({
      databaseInstanceClass: 'db.t3.micro',
      databaseStorageGiB: 20,
      glueWorkerType: 'G.1X',
      glueWorkerCount: 2,
      etlMaxConcurrentRuns: 10,
      sourceTimeZone: 'UTC',
      reportingTimeZone: 'Asia/Kolkata',
      dailyAggregateSchedule: 'cron(30 20 * * ? *)',
      lookbackDays: 1,
      changedDaysWindowDays: 7,
      rejectedRetentionDays: 30,
    });
  });

  it('take counts as the strings -c gives', () => {
    const settings = parseStackSettings({ glueWorkerCount: '5', lookbackDays: '0' });
    expect([settings.glueWorkerCount, settings.lookbackDays]).toEqual([5, 0]);
  });

  it.each([
    [{ glueWorkerType: 'G.3X' }, /^glueWorkerType: /],
    [{ glueWorkerCount: '1' }, /^glueWorkerCount: /],
    [{ reportingTimeZone: 'Mars/Olympus' }, /^reportingTimeZone: unknown time zone "Mars\/Olympus"/],
    [{ alarmEmail: 'not-an-address' }, /^alarmEmail: /],
    [{ databaseInstanceClass: 't3.micro' }, /^databaseInstanceClass: an RDS instance class/],
    [{ lakeBucketName: 'My_Bucket' }, /^lakeBucketName: /],
    [{ lakeBucketName: '192.168.0.1' }, /^lakeBucketName: not a valid bucket name/],
    [{ dailyAggregateSchedule: 'rate(1 day)' }, /^dailyAggregateSchedule: /],
    [{ alarmEmial: 'a@example.com' }, /^unknown setting alarmEmial; the settings are alarmEmail, /],
  ])('refuse %j, naming the setting', (input, message) => {
    expect(() => parseStackSettings(input)).toThrow(InfraError);
    expect(() => parseStackSettings(input)).toThrow(message);
  });

  it('are cdk.json context overridden by -c name=value and --context=name=value', () => {
    const context = contextFromArgs(
      ['--dry-run', '-c', 'alarmEmail=a@example.com', '--context=glueWorkerCount=4', '--context', 'x=a=b'],
      { context: { glueWorkerCount: 3, lookbackDays: 2 } },
    );
    expect(context).toEqual({ glueWorkerCount: '4', lookbackDays: 2, alarmEmail: 'a@example.com', x: 'a=b' });
    expect(() => contextFromArgs(['-c', 'novalue'])).toThrow(/-c takes name=value/);
  });

  it('leave out the keys CDK and its CLI put into the context', () => {
    expect(
      stackContext({
        '@aws-cdk/core:newStyleStackSynthesis': true,
        'aws:cdk:enable-path-metadata': true,
        'cli-telemetry': false,
        lookbackDays: 2,
      }),
    ).toEqual({ lookbackDays: 2 });
    expect(STACK_SETTING_NAMES).toContain('alarmEmail');
  });

  it('reach the template', () => {
    const template = synthTemplate({
      settings: {
        databaseInstanceClass: 'db.t4g.small',
        glueWorkerType: 'G.2X',
        glueWorkerCount: '4',
        etlMaxConcurrentRuns: 3,
        sourceTimeZone: 'America/New_York',
        reportingTimeZone: 'Europe/London',
        dailyAggregateSchedule: 'cron(0 2 * * ? *)',
        lookbackDays: 3,
        lakeBucketName: 'acme-streampulse-lake',
        athenaResultsBucketName: 'acme-streampulse-athena',
      },
    });
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.t4g.small' });
    template.hasResourceProperties('AWS::Glue::Job', {
      Name: 'streampulse-etl',
      WorkerType: 'G.2X',
      NumberOfWorkers: 4,
      ExecutionProperty: { MaxConcurrentRuns: 3 },
    });
    template.hasResourceProperties('AWS::Glue::Job', { Name: 'streampulse-aggregate', WorkerType: 'G.2X' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ SOURCE_TZ: 'America/New_York', REPORTING_TZ: 'Europe/London' }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LOOKBACK_DAYS: '3', REPORTING_TZ: 'Europe/London' }) },
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 2 * * ? *)' });
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'acme-streampulse-lake' });
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'acme-streampulse-athena' });
  });
});
