import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  GatewayVpcEndpointAwsService,
  InstanceClass,
  InstanceSize,
  InstanceType,
  InterfaceVpcEndpointAwsService,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { CfnConnection, CfnJob } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunctionResource, Runtime, type Code } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Credentials,
  DatabaseInstance,
  DatabaseInstanceEngine,
  ParameterGroup,
  PostgresEngineVersion,
} from 'aws-cdk-lib/aws-rds';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { LAKE_LAYOUT } from '@streampulse/schema';
import type { Construct } from 'constructs';
import { bundleDir, lambdaBundleCode } from './bundles.js';

/**
 * Settings of {@link StreamPulseStack}; every one has a default.
 *
 * @example
 * const props: StreamPulseStackProps = { rejectedRetentionDays: 30, alarmEmail: 'oncall@example.com' };
 */
export interface StreamPulseStackProps extends StackProps {
  /** Days rejected rows (raw personal data) stay under `rejected/` (default 30). */
  rejectedRetentionDays?: number;
  etlJobName?: string;
  aggregateJobName?: string;
  /** Runs of the ETL job at once; more are queued (default 10). */
  etlMaxConcurrentRuns?: number;
  /** Zone whose calendar day the daily run aggregates and a session's event_date is (default Asia/Kolkata). */
  reportingTimeZone?: string;
  /** Zone of raw timestamps written without an offset (default UTC). */
  sourceTimeZone?: string;
  /** Earlier days each daily run aggregates again (default 1). */
  lookbackDays?: number;
  /**
   * Each daily run also aggregates the days the Glue ETL runs of this many days before it
   * recorded (default 7; 0 turns it off). Their records expire after 30 days.
   */
  changedDaysWindowDays?: number;
  /** Subscribed to the alarm topic when given. */
  alarmEmail?: string;
  /** Lambda code; default: the esbuild bundles `apps/<app>/dist/index.mjs`. */
  etlTriggerCode?: Code;
  aggregateTriggerCode?: Code;
}

/**
 * The trigger Lambdas' runtime. The bundles target Node 20 syntax, which Node 22 runs; Lambda
 * deprecated nodejs20.x (creating such functions is blocked from 2027-02-01).
 */
const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;
const DATABASE_NAME = 'streampulse';
const GLUE_TEMP_PREFIX = 'tmp/glue/';

/**
 * The whole AWS side of StreamPulse: the data-lake bucket and its playback notification, the two
 * trigger Lambdas with on-failure queues, the daily schedule, both Glue jobs with least-privilege
 * roles and a connection into the database's VPC, RDS PostgreSQL with TLS required, the Athena
 * workgroup, and alarms for failed Glue runs and for events the Lambdas gave up on.
 *
 * @example
 * const app = new App();
 * new StreamPulseStack(app, 'StreamPulse', { alarmEmail: 'oncall@example.com' });
 * app.synth();
 */
export class StreamPulseStack extends Stack {
  readonly bucket: Bucket;
  readonly databaseSecret: ISecret;

  constructor(scope: Construct, id: string, props: StreamPulseStackProps = {}) {
    super(scope, id, props);
    const etlJobName = props.etlJobName ?? 'streampulse-etl';
    const aggregateJobName = props.aggregateJobName ?? 'streampulse-aggregate';

    // ---- Storage --------------------------------------------------------------------------
    this.bucket = new Bucket(this, 'Lake', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-rejected-rows',
          prefix: 'rejected/',
          expiration: Duration.days(props.rejectedRetentionDays ?? 30),
        },
        { id: 'expire-glue-temp', prefix: GLUE_TEMP_PREFIX, expiration: Duration.days(7) },
        { id: 'expire-changed-days', prefix: LAKE_LAYOUT.changedDays, expiration: Duration.days(30) },
      ],
    });
    const bucket = this.bucket;
    const s3Url = (prefix: string) => `s3://${bucket.bucketName}/${prefix}`;

    // ---- Network and database ---------------------------------------------------------------
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    // No NAT: the Glue jobs reach S3 and Secrets Manager through endpoints, nothing else.
    vpc.addGatewayEndpoint('S3Endpoint', { service: GatewayVpcEndpointAwsService.S3 });
    vpc.addInterfaceEndpoint('SecretsManagerEndpoint', {
      service: InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      privateDnsEnabled: true,
    });

    const glueSecurityGroup = new SecurityGroup(this, 'GlueSecurityGroup', {
      vpc,
      description: 'Glue job ENIs',
      allowAllOutbound: true,
    });
    // Glue requires its ENIs to reach each other on every TCP port.
    glueSecurityGroup.addIngressRule(glueSecurityGroup, Port.allTcp(), 'Glue workers talk to each other');
    const databaseSecurityGroup = new SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc,
      description: 'StreamPulse PostgreSQL',
      allowAllOutbound: false,
    });
    databaseSecurityGroup.addIngressRule(glueSecurityGroup, Port.tcp(5432), 'Glue jobs');

    const engine = DatabaseInstanceEngine.postgres({ version: PostgresEngineVersion.VER_16 });
    const database = new DatabaseInstance(this, 'Database', {
      engine,
      instanceType: InstanceType.of(InstanceClass.T3, InstanceSize.MICRO),
      vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
      securityGroups: [databaseSecurityGroup],
      databaseName: DATABASE_NAME,
      credentials: Credentials.fromGeneratedSecret('streampulse_admin'),
      storageEncrypted: true,
      parameterGroup: new ParameterGroup(this, 'DatabaseParameters', {
        engine,
        description: 'StreamPulse PostgreSQL: TLS required',
        parameters: { 'rds.force_ssl': '1' },
      }),
      publiclyAccessible: false,
      multiAz: false,
      allocatedStorage: 20,
      backupRetention: Duration.days(7),
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    const secret = database.secret;
    if (!secret) throw new Error('the database has no generated secret');
    this.databaseSecret = secret;

    const subnet = vpc.isolatedSubnets[0];
    if (!subnet) throw new Error('the VPC has no isolated subnet');
    const connection = new CfnConnection(this, 'DatabaseConnection', {
      catalogId: this.account,
      connectionInput: {
        name: 'streampulse-postgres',
        description: 'StreamPulse PostgreSQL, reached from the Glue jobs over TLS',
        connectionType: 'JDBC',
        connectionProperties: {
          JDBC_CONNECTION_URL: `jdbc:postgresql://${database.dbInstanceEndpointAddress}:${database.dbInstanceEndpointPort}/${DATABASE_NAME}`,
          SECRET_ID: secret.secretArn,
          JDBC_ENFORCE_SSL: 'true',
        },
        physicalConnectionRequirements: {
          subnetId: subnet.subnetId,
          availabilityZone: subnet.availabilityZone,
          securityGroupIdList: [glueSecurityGroup.securityGroupId],
        },
      },
    });

    // ---- Glue jobs --------------------------------------------------------------------------
    const connectionArn = this.formatArn({
      service: 'glue',
      resource: 'connection',
      resourceName: 'streampulse-postgres',
    });
    const catalogArn = this.formatArn({ service: 'glue', resource: 'catalog' });
    const glueRole = (roleId: string, description: string, read: string[], write: string[]): Role => {
      const role = new Role(this, roleId, {
        assumedBy: new ServicePrincipal('glue.amazonaws.com'),
        description,
      });
      role.addToPolicy(
        new PolicyStatement({
          sid: 'ListOwnPrefixes',
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [...read, ...write].map((p) => `${p}*`) } },
        }),
      );
      role.addToPolicy(
        new PolicyStatement({
          sid: 'ReadInputs',
          actions: ['s3:GetObject'],
          resources: read.map((p) => bucket.arnForObjects(`${p}*`)),
        }),
      );
      role.addToPolicy(
        new PolicyStatement({
          sid: 'WriteOutputs',
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
          resources: write.map((p) => bucket.arnForObjects(`${p}*`)),
        }),
      );
      secret.grantRead(role);
      role.addToPolicy(
        new PolicyStatement({
          sid: 'UseDatabaseConnection',
          actions: ['glue:GetConnection'],
          resources: [connectionArn, catalogArn],
        }),
      );
      role.addToPolicy(
        new PolicyStatement({
          sid: 'JobLogs',
          actions: [
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
            'logs:AssociateKmsKey',
          ],
          resources: [
            this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '/aws-glue/*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      );
      role.addToPolicy(
        new PolicyStatement({
          sid: 'JobMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
        }),
      );
      // Glue places ENIs in the connection's subnet; EC2 does not scope these actions to resources.
      role.addToPolicy(
        new PolicyStatement({
          sid: 'VpcNetworkInterfaces',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DeleteNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeSubnets',
            'ec2:DescribeVpcs',
            'ec2:DescribeVpcAttribute',
            'ec2:DescribeVpcEndpoints',
            'ec2:DescribeRouteTables',
            'ec2:CreateTags',
            'ec2:DeleteTags',
          ],
          resources: ['*'],
        }),
      );
      return role;
    };
    const scripts = LAKE_LAYOUT.glueScripts;
    const etlRole = glueRole(
      'EtlJobRole',
      'StreamPulse ETL job: reads raw/, writes rejected/ and the days it changed',
      [LAKE_LAYOUT.playback, LAKE_LAYOUT.contentMetadata, LAKE_LAYOUT.userProfiles, scripts],
      ['rejected/', LAKE_LAYOUT.changedDays, GLUE_TEMP_PREFIX],
    );
    const aggregateRole = glueRole(
      'AggregateJobRole',
      'StreamPulse aggregation job: writes analytics/',
      [scripts],
      ['analytics/', GLUE_TEMP_PREFIX],
    );

    const reportingTimeZone = props.reportingTimeZone ?? 'Asia/Kolkata';
    const lookbackDays = String(props.lookbackDays ?? 1);
    const commonArguments = {
      '--job-language': 'python',
      '--enable-metrics': 'true',
      '--enable-continuous-cloudwatch-log': 'true',
      '--TempDir': s3Url(GLUE_TEMP_PREFIX),
      '--secret_arn': secret.secretArn,
      '--lake_root': s3Url(''),
      '--reporting_tz': reportingTimeZone,
    };
    const job = (
      jobId: string,
      name: string,
      role: Role,
      script: string,
      maxConcurrentRuns: number,
      args: Record<string, string>,
    ) =>
      new CfnJob(this, jobId, {
        name,
        role: role.roleArn,
        description: `StreamPulse ${name}; its script is uploaded to ${scripts} separately`,
        command: { name: 'glueetl', scriptLocation: s3Url(`${scripts}${script}`), pythonVersion: '3' },
        glueVersion: '4.0',
        workerType: 'G.1X',
        numberOfWorkers: 2,
        timeout: 60,
        maxRetries: 0,
        executionProperty: { maxConcurrentRuns },
        jobRunQueuingEnabled: true,
        connections: { connections: [connection.ref] },
        defaultArguments: { ...commonArguments, ...args },
      });
    const etlJob = job('EtlJob', etlJobName, etlRole, 'etl_job.py', props.etlMaxConcurrentRuns ?? 10, {
      '--source_tz': 'UTC',
    });
    const outputPath = s3Url(LAKE_LAYOUT.dailyEngagement);
    const aggregateJob = job('AggregateJob', aggregateJobName, aggregateRole, 'aggregate_job.py', 1, {
      '--output_path': outputPath,
      '--lookback_days': lookbackDays,
      '--format': 'parquet',
    });
    const jobArn = (name: string) => this.formatArn({ service: 'glue', resource: 'job', resourceName: name });

    // ---- Trigger Lambdas --------------------------------------------------------------------
    const failureQueue = (queueId: string) =>
      new Queue(this, queueId, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
    const etlFailures = failureQueue('EtlTriggerFailures');
    const aggregateFailures = failureQueue('AggregateTriggerFailures');

    const etlTrigger = new LambdaFunctionResource(this, 'EtlTrigger', {
      description: 'Starts the ETL Glue job for each playback file written under raw/playback/',
      runtime: LAMBDA_RUNTIME,
      handler: 'index.handler',
      code: props.etlTriggerCode ?? lambdaBundleCode(bundleDir('etl-trigger'), 'etl-trigger'),
      memorySize: 256,
      timeout: Duration.minutes(2),
      // The contract settings each run's plan is compiled with.
      environment: {
        ETL_JOB_NAME: etlJobName,
        PLAYBACK_PREFIX: LAKE_LAYOUT.playback,
        SOURCE_TZ: props.sourceTimeZone ?? 'UTC',
        REPORTING_TZ: reportingTimeZone,
      },
      onFailure: new SqsDestination(etlFailures),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      logGroup: new LogGroup(this, 'EtlTriggerLogs', {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    etlTrigger.node.addDependency(etlJob);
    etlTrigger.addToRolePolicy(
      new PolicyStatement({ actions: ['glue:StartJobRun'], resources: [jobArn(etlJobName)] }),
    );
    // The trigger compiles each run's plan: it lists the dimension files, reads the headers of
    // the raw files, and writes the plan under scripts/glue/runs/.
    const rawPrefixes = [LAKE_LAYOUT.playback, LAKE_LAYOUT.contentMetadata, LAKE_LAYOUT.userProfiles];
    etlTrigger.addToRolePolicy(
      new PolicyStatement({
        sid: 'ListRawPrefixes',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': rawPrefixes.map((p) => `${p}*`) } },
      }),
    );
    etlTrigger.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadRawHeaders',
        actions: ['s3:GetObject'],
        resources: rawPrefixes.map((p) => bucket.arnForObjects(`${p}*`)),
      }),
    );
    const runPlans = bucket.arnForObjects(`${LAKE_LAYOUT.glueScripts}runs/*`);
    etlTrigger.addToRolePolicy(
      new PolicyStatement({ sid: 'WriteRunPlans', actions: ['s3:PutObject'], resources: [runPlans] }),
    );
    bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(etlTrigger), {
      prefix: LAKE_LAYOUT.playback,
    });

    const aggregateTrigger = new LambdaFunctionResource(this, 'AggregateTrigger', {
      description: 'Starts the daily aggregation Glue job for the reporting day that just ended',
      runtime: LAMBDA_RUNTIME,
      handler: 'index.handler',
      code:
        props.aggregateTriggerCode ?? lambdaBundleCode(bundleDir('aggregate-trigger'), 'aggregate-trigger'),
      memorySize: 256,
      timeout: Duration.minutes(2),
      environment: {
        AGGREGATE_JOB_NAME: aggregateJobName,
        REPORTING_TZ: reportingTimeZone,
        LOOKBACK_DAYS: lookbackDays,
        CHANGED_DAYS_WINDOW_DAYS: String(props.changedDaysWindowDays ?? 7),
        OUTPUT_PATH: outputPath,
        DB_SECRET_ARN: secret.secretArn,
      },
      onFailure: new SqsDestination(aggregateFailures),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      logGroup: new LogGroup(this, 'AggregateTriggerLogs', {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    aggregateTrigger.node.addDependency(aggregateJob);
    aggregateTrigger.addToRolePolicy(
      new PolicyStatement({ actions: ['glue:StartJobRun'], resources: [jobArn(aggregateJobName)] }),
    );
    aggregateTrigger.addToRolePolicy(
      new PolicyStatement({ sid: 'WriteRunPlans', actions: ['s3:PutObject'], resources: [runPlans] }),
    );
    aggregateTrigger.addToRolePolicy(
      new PolicyStatement({
        sid: 'ListChangedDays',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${LAKE_LAYOUT.changedDays}*`] } },
      }),
    );
    aggregateTrigger.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadChangedDays',
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${LAKE_LAYOUT.changedDays}*`)],
      }),
    );
    new Rule(this, 'DailyAggregateSchedule', {
      description: 'Daily at 02:00 IST (20:30 UTC): aggregate the reporting day that just ended',
      schedule: Schedule.expression('cron(30 20 * * ? *)'),
      targets: [new LambdaFunction(aggregateTrigger, { retryAttempts: 2 })],
    });

    // ---- Athena -----------------------------------------------------------------------------
    const results = new Bucket(this, 'AthenaResults', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-query-results', expiration: Duration.days(30) }],
    });
    const workGroup = new CfnWorkGroup(this, 'AthenaWorkGroup', {
      name: 'streampulse',
      description: 'StreamPulse analytics: daily_engagement and daily_active_users',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${results.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    // ---- Alarms -----------------------------------------------------------------------------
    const alarms = new Topic(this, 'Alarms', { displayName: 'StreamPulse alarms', enforceSSL: true });
    if (props.alarmEmail) alarms.addSubscription(new EmailSubscription(props.alarmEmail));
    const glueFailed = new Rule(this, 'GlueJobFailed', {
      description: 'A StreamPulse Glue job run FAILED or TIMED OUT',
      eventPattern: {
        source: ['aws.glue'],
        detailType: ['Glue Job State Change'],
        detail: { jobName: [etlJobName, aggregateJobName], state: ['FAILED', 'TIMEOUT'] },
      },
      targets: [new SnsTopic(alarms)],
    });
    const alarm = (alarmId: string, description: string, metric: Metric) =>
      new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(alarms));
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
    alarm(
      'EtlTriggerFailuresAlarm',
      'S3 events the ETL trigger gave up on wait in its on-failure queue',
      etlFailures.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
    );
    alarm(
      'AggregateTriggerFailuresAlarm',
      'Scheduled events the aggregation trigger gave up on wait in its on-failure queue',
      aggregateFailures.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
    );

    // ---- Outputs (read by the deploy scripts) -------------------------------------------------
    const output = (outputId: string, value: string) => new CfnOutput(this, outputId, { value });
    output('LakeBucketName', bucket.bucketName);
    output('EtlTriggerFunctionName', etlTrigger.functionName);
    output('AggregateTriggerFunctionName', aggregateTrigger.functionName);
    output('EtlJobName', etlJobName);
    output('AggregateJobName', aggregateJobName);
    output('DatabaseSecretArn', secret.secretArn);
    output('DatabaseEndpoint', database.dbInstanceEndpointAddress);
    output('AthenaWorkGroupName', workGroup.ref);
    output('AlarmTopicArn', alarms.topicArn);
  }
}
