import { describe, expect, it } from 'vitest';
import { synthTemplate } from './support.js';

// CloudFormation replaces a resource whose logical id changes: a new, empty lake bucket, a new
// database, a queue without the events waiting in it. These are the ids deployed stacks hold;
// a refactor of the stack's code (constructs, names) must keep every one of them.
const STATEFUL: Readonly<Record<string, readonly string[]>> = {
  'AWS::S3::Bucket': ['AccessLogs8B620ECA', 'AthenaResults99A60126', 'Lake5F1B88EA'],
  'AWS::RDS::DBInstance': ['DatabaseB269D8BB'],
  'AWS::RDS::DBSubnetGroup': ['DatabaseSubnetGroup7D60F180'],
  'AWS::SecretsManager::Secret': ['StreamPulseDatabaseSecret7909FE993fdaad7efa858a3daf9490cf0a702aeb'],
  'AWS::EC2::VPC': ['Vpc8378EB38'],
  'AWS::Glue::Connection': ['DatabaseConnection'],
  'AWS::Glue::Job': ['AggregateJob', 'EtlJob'],
  'AWS::SQS::Queue': ['AggregateTriggerFailuresC6AB6192', 'EtlTriggerFailures9125E6F9'],
  'AWS::Logs::LogGroup': ['AggregateTriggerLogs02D65F51', 'EtlTriggerLogs6B33C814'],
  'AWS::Lambda::Function': [
    'AggregateTrigger236E3054',
    'BucketNotificationsHandler050a0587b7544547bf325f094a3db8347ECC3691',
    'EtlTriggerF605BEF3',
  ],
  'AWS::SNS::Topic': ['Alarms04B5A0BF'],
};

describe('the logical ids of deployed resources', () => {
  const template = synthTemplate({ settings: { alarmEmail: 'oncall@example.com' } });

  for (const [type, ids] of Object.entries(STATEFUL)) {
    it(`keeps every ${type} under the id a deployed stack holds`, () => {
      expect(Object.keys(template.findResources(type)).sort()).toEqual([...ids].sort());
    });
  }
});
