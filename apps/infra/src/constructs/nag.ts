import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Accepts a cdk-nag AwsSolutions finding on a construct (and what it contains), with the reason;
 * the stack's tests run the pack and fail on any finding not accepted here.
 *
 * @example
 * acceptFinding(queue, 'SQS3', 'This queue is the dead-letter destination itself.');
 */
export function acceptFinding(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${rule}`, reason });
}

// cdk-nag names each wildcard (IAM5) and managed policy (IAM4) it finds; an acceptance names it
// the same way, so a new wildcard is a new finding.
/** cdk-nag's name of the AWS managed basic execution role of a Lambda. */
export const BASIC_EXECUTION_ROLE =
  'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
