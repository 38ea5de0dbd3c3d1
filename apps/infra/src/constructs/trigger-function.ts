import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction, Runtime, type Code } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { acceptFinding, BASIC_EXECUTION_ROLE } from './nag.js';

/**
 * The trigger Lambdas' runtime. The bundles target Node 20 syntax, which Node 22 runs; Lambda
 * deprecated nodejs20.x (creating such functions is blocked from 2027-02-01).
 */
const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;

/**
 * What a {@link TriggerFunction} is made with.
 *
 * @example
 * const props: TriggerFunctionProps = { description, code, environment: { ETL_JOB_NAME: 'streampulse-etl' }, startsJob: etl, policies: [] };
 */
export interface TriggerFunctionProps {
  description: string;
  /** The esbuild bundle of the app (`index.handler`). */
  code: Code;
  environment: Record<string, string>;
  /** The Glue job it starts: `glue:StartJobRun` on that job alone, and created after it. */
  startsJob: { job: IConstruct; jobArn: string };
  /** Everything else it may do (read lake prefixes, write run plans). */
  policies: PolicyStatement[];
  /** cdk-nag findings its policies raise on purpose (object wildcards under a lake prefix). */
  acceptedWildcards: string[];
}

/**
 * A trigger Lambda: Node 22, 256 MB, two minutes, its own log group (kept a month), two retries,
 * then the event waits in an encrypted on-failure queue (kept 14 days) for an alarm and a
 * person. The ETL trigger and the aggregation trigger are both one of these.
 *
 * The function is this construct's `Default` child, the queue (`<id>Failures`) and the log group
 * (`<id>Logs`) siblings in the parent scope: the logical ids the stack gave them before it was
 * split, so a deployed queue keeps the events waiting in it.
 *
 * @example
 * const trigger = new TriggerFunction(stack, 'EtlTrigger', { description, code, environment, startsJob: etlJob, policies, acceptedWildcards });
 * trigger.failures.queueUrl;
 */
export class TriggerFunction extends Construct {
  readonly function: LambdaFunction;
  /** Events the function gave up on. */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: TriggerFunctionProps) {
    super(scope, id);
    this.failures = new Queue(scope, `${id}Failures`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acceptFinding(
      this.failures,
      'SQS3',
      'This queue is the dead-letter destination (Lambda on-failure) itself.',
    );
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new LambdaFunction(this, 'Default', {
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      handler: 'index.handler',
      code: props.code,
      memorySize: 256,
      timeout: Duration.minutes(2),
      environment: props.environment,
      onFailure: new SqsDestination(this.failures),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      logGroup,
    });
    this.function.node.addDependency(props.startsJob.job);
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['glue:StartJobRun'], resources: [props.startsJob.jobArn] }),
    );
    for (const policy of props.policies) this.function.addToRolePolicy(policy);
    acceptFinding(
      this.function,
      BASIC_EXECUTION_ROLE,
      'The AWS managed basic execution role: writes its own logs only.',
    );
    for (const finding of props.acceptedWildcards) {
      acceptFinding(
        this.function,
        finding,
        'Objects under one prefix: files it reads, records it lists, plans it writes.',
      );
    }
    acceptFinding(
      this.function,
      'L1',
      'nodejs22.x on purpose: the bundles are built and tested for Node 22 (and 20), not 24.',
    );
  }
}
