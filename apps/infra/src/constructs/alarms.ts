import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/**
 * What {@link PipelineAlarms} watches.
 *
 * @example
 * const props: PipelineAlarmsProps = { email: 'oncall@example.com', jobNames: ['streampulse-etl'], etlFailures, aggregateFailures };
 */
export interface PipelineAlarmsProps {
  /** Subscribed to the topic when given. */
  email?: string;
  /** The Glue jobs whose FAILED or TIMEOUT runs raise an alarm. */
  jobNames: string[];
  /** The triggers' on-failure queues: a message waiting there raises an alarm. */
  etlFailures: IQueue;
  aggregateFailures: IQueue;
}

/**
 * The pipeline's alarms, all to one SNS topic: a Glue run that failed or timed out (an EventBridge
 * rule, and an alarm on it firing), and events either trigger gave up on.
 *
 * The topic is this construct's `Default` child, the rule and the alarms siblings in the parent
 * scope: the logical ids the stack gave them before it was split.
 *
 * @example
 * const alarms = new PipelineAlarms(stack, 'Alarms', { email, jobNames, etlFailures, aggregateFailures });
 * alarms.topic.topicArn;
 */
export class PipelineAlarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    const topic = new Topic(this, 'Default', { displayName: 'StreamPulse alarms', enforceSSL: true });
    this.topic = topic;
    if (props.email) topic.addSubscription(new EmailSubscription(props.email));
    const glueFailed = new Rule(scope, 'GlueJobFailed', {
      description: 'A StreamPulse Glue job run FAILED or TIMED OUT',
      eventPattern: {
        source: ['aws.glue'],
        detailType: ['Glue Job State Change'],
        detail: { jobName: props.jobNames, state: ['FAILED', 'TIMEOUT'] },
      },
      targets: [new SnsTopic(topic)],
    });
    const alarm = (alarmId: string, description: string, metric: Metric) =>
      new Alarm(scope, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(topic));
    alarm(
      'GlueJobFailedAlarm',
      'A StreamPulse Glue job run failed or timed out in the last 5 minutes',
      new Metric({
        namespace: 'AWS/Events',
        metricName: 'TriggeredRules',
        dimensionsMap: { RuleName: glueFailed.ruleName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
    );
    const waiting = (queue: IQueue) =>
      queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) });
    alarm(
      'EtlTriggerFailuresAlarm',
      'S3 events the ETL trigger gave up on wait in its on-failure queue',
      waiting(props.etlFailures),
    );
    alarm(
      'AggregateTriggerFailuresAlarm',
      'Scheduled events the aggregation trigger gave up on wait in its on-failure queue',
      waiting(props.aggregateFailures),
    );
  }
}
