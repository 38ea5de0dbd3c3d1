import type { ScheduledEvent } from '../src/index.js';

/** The EventBridge scheduled event as Lambda receives it, fired at `time`. */
export function scheduledEvent(time: string): ScheduledEvent {
  return {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time,
    region: 'ap-south-1',
    resources: ['arn:aws:events:ap-south-1:123456789012:rule/streampulse-daily-aggregate'],
    detail: {},
  };
}

/** The environment the stack gives the function. */
export const ENV = {
  AGGREGATE_JOB_NAME: 'streampulse-aggregate',
  OUTPUT_PATH: 's3://streampulse-lake-123/analytics/daily_aggregates/',
};
