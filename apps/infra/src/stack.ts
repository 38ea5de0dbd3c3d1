import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
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
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
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
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  EventType,
  ObjectOwnership,
  type CfnBucket,
} from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { glueJobDefinitions, LAKE_LAYOUT, type GlueJobDefinition } from '@streampulse/schema';
import type { Construct, IConstruct } from 'constructs';
import { bundleDir, glueRunnerPath, lambdaBundleCode } from './bundles.js';
import { parseStackSettings, type StackSettingsInput } from './settings.js';

/**
 * What {@link StreamPulseStack} is built from: its settings (validated, see
 * {@link parseStackSettings}) and, for tests, the Lambda code.
 *
 * @example
 * const props: StreamPulseStackProps = { settings: { alarmEmail: 'oncall@example.com', rejectedRetentionDays: 30 } };
 */
export interface StreamPulseStackProps extends StackProps {
  /** CDK context settings (cdk.json or `-c name=value`); every one has a default. */
  settings?: StackSettingsInput | Record<string, unknown>;
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
const CONNECTION_NAME = 'streampulse-postgres';

/**
 * Accepts a cdk-nag AwsSolutions finding on a construct (and what it contains), with the reason;
 * the stack's tests run the pack and fail on any finding not accepted here.
 */
function accept(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${rule}`, reason });
}

// cdk-nag names each wildcard (IAM5) and managed policy (IAM4) it finds; an acceptance names it
// the same way, so a new wildcard is a new finding.
const BASIC_EXECUTION_ROLE =
  'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

function acceptLambdaFindings(fn: IConstruct, objects: string[]): void {
  accept(fn, BASIC_EXECUTION_ROLE, 'The AWS managed basic execution role: writes its own logs only.');
  for (const finding of objects) {
    accept(fn, finding, 'Objects under one prefix: files it reads, records it lists, plans it writes.');
  }
  accept(fn, 'L1', 'nodejs22.x on purpose: the bundles are built and tested for Node 22 (and 20), not 24.');
}

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
    const settings = parseStackSettings(props.settings ?? {});

    // ---- Storage --------------------------------------------------------------------------
    // S3 server access logs of both buckets and the VPC's rejected flows.
    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
    });
    accept(accessLogs, 'S1', 'The access log bucket itself: logging its own writes would log forever.');
    this.bucket = new Bucket(this, 'Lake', {
      ...(settings.lakeBucketName ? { bucketName: settings.lakeBucketName } : {}),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'lake/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-rejected-rows',
          prefix: 'rejected/',
          expiration: Duration.days(settings.rejectedRetentionDays),
        },
        { id: 'expire-glue-temp', prefix: GLUE_TEMP_PREFIX, expiration: Duration.days(7) },
        { id: 'expire-changed-days', prefix: LAKE_LAYOUT.changedDays, expiration: Duration.days(30) },
      ],
    });
    const bucket = this.bucket;
    const lakeId = this.getLogicalId(bucket.node.defaultChild as CfnBucket);
    // cdk-nag's name of an object wildcard under a prefix of the lake.
    const objectsUnder = (prefix: string) => `IAM5[Resource::<${lakeId}.Arn>/${prefix}*]`;
    const s3Url = (prefix: string) => `s3://${bucket.bucketName}/${prefix}`;

    // ---- Network and database ---------------------------------------------------------------
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    vpc.addFlowLog('RejectedFlows', {
      destination: FlowLogDestination.toS3(accessLogs, 'vpc-flow-logs/'),
      trafficType: FlowLogTrafficType.REJECT,
    });
    const subnet = vpc.isolatedSubnets[0];
    if (!subnet) throw new Error('the VPC has no isolated subnet');
    // No NAT: the Glue jobs reach AWS through endpoints, nothing else. The interface endpoints sit
    // in the connection's subnet only, where Glue places its ENIs (each endpoint is billed per AZ).
    vpc.addGatewayEndpoint('S3Endpoint', { service: GatewayVpcEndpointAwsService.S3 });
    const endpoints = {
      // The database credentials, read through the Glue connection.
      SecretsManagerEndpoint: InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      // The runner's extract_jdbc_conf reads the connection (GetConnection) from the driver.
      GlueEndpoint: InterfaceVpcEndpointAwsService.GLUE,
      // --enable-continuous-cloudwatch-log and --enable-metrics send from the workers.
      LogsEndpoint: InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      MonitoringEndpoint: InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
    };
    const glueSecurityGroup = new SecurityGroup(this, 'GlueSecurityGroup', {
      vpc,
      description: 'Glue job ENIs',
      allowAllOutbound: true,
    });
    // Glue requires its ENIs to reach each other on every TCP port.
    glueSecurityGroup.addIngressRule(glueSecurityGroup, Port.allTcp(), 'Glue workers talk to each other');
    for (const [endpointId, service] of Object.entries(endpoints)) {
      // Only the Glue ENIs call the endpoints: no rule for the whole VPC's range.
      const endpoint = vpc.addInterfaceEndpoint(endpointId, {
        service,
        privateDnsEnabled: true,
        subnets: { subnets: [subnet] },
        open: false,
      });
      endpoint.connections.allowDefaultPortFrom(glueSecurityGroup, 'Glue jobs');
    }
    const databaseSecurityGroup = new SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc,
      description: 'StreamPulse PostgreSQL',
      allowAllOutbound: false,
    });
    databaseSecurityGroup.addIngressRule(glueSecurityGroup, Port.tcp(5432), 'Glue jobs');

    // A full version: RDS no longer creates an instance from a major version alone (cfn-lint
    // W3691). Minor upgrades stay automatic; CloudFormation only acts when this value changes.
    const engine = DatabaseInstanceEngine.postgres({ version: PostgresEngineVersion.VER_16_9 });
    const database = new DatabaseInstance(this, 'Database', {
      engine,
      instanceType: new InstanceType(settings.databaseInstanceClass.replace(/^db\./, '')),
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
      allocatedStorage: settings.databaseStorageGiB,
      backupRetention: Duration.days(7),
      removalPolicy: RemovalPolicy.SNAPSHOT,
      // The warehouse is the pipeline's only copy of the processed rows; teardown turns it off first.
      deletionProtection: true,
    });
    accept(
      database,
      'RDS3',
      'Single-AZ by default for cost; the instance is rebuilt from snapshot and the lake.',
    );
    accept(
      database,
      'RDS11',
      'The port is no boundary here: no route from outside, only the Glue group admitted.',
    );
    const secret = database.secret;
    if (!secret) throw new Error('the database has no generated secret');
    accept(
      database.node.findChild('Secret'),
      'SMG4',
      'Rotation needs a rotation Lambda inside the isolated VPC; docs/deploy.md says how to rotate by hand.',
    );
    this.databaseSecret = secret;

    const connection = new CfnConnection(this, 'DatabaseConnection', {
      catalogId: this.account,
      connectionInput: {
        name: CONNECTION_NAME,
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
      resourceName: CONNECTION_NAME,
    });
    const catalogArn = this.formatArn({ service: 'glue', resource: 'catalog' });
    // The runner ships with the stack as a file asset: `cdk deploy` uploads it to the bootstrap
    // bucket under its content hash, so a changed runner.py changes the jobs' ScriptLocation and
    // CloudFormation updates them; nothing else uploads or redefines the jobs.
    const runner = new Asset(this, 'GlueRunner', { path: glueRunnerPath() });
    const glueRole = (roleId: string, description: string, read: string[], write: string[]): Role => {
      const role = new Role(this, roleId, {
        assumedBy: new ServicePrincipal('glue.amazonaws.com'),
        description,
      });
      role.addToPolicy(
        new PolicyStatement({
          sid: 'ReadRunner',
          actions: ['s3:GetObject'],
          resources: [`arn:${this.partition}:s3:::${runner.s3BucketName}/${runner.s3ObjectKey}`],
        }),
      );
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
      for (const prefix of [...read, ...write]) {
        accept(role, objectsUnder(prefix), 'The job reads or writes whatever lies under this prefix.');
      }
      accept(
        role,
        'IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws-glue/*]',
        "Glue's own log groups (/aws-glue/jobs/..., named by Glue at run time).",
      );
      accept(
        role,
        'IAM5[Resource::*]',
        'PutMetricData limited to the Glue namespace by condition, and the network-interface actions Glue needs in the VPC, which EC2 does not scope to resources.',
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

    const definitions = glueJobDefinitions({
      connectionName: CONNECTION_NAME,
      tempDir: s3Url(GLUE_TEMP_PREFIX),
      workerType: settings.glueWorkerType,
      numberOfWorkers: settings.glueWorkerCount,
      etlMaxConcurrentRuns: settings.etlMaxConcurrentRuns,
    });
    const job = (jobId: string, definition: GlueJobDefinition, role: Role) =>
      new CfnJob(this, jobId, {
        name: definition.name,
        role: role.roleArn,
        description: definition.description,
        command: {
          name: definition.command.name,
          scriptLocation: runner.s3ObjectUrl,
          pythonVersion: definition.command.pythonVersion,
        },
        glueVersion: definition.glueVersion,
        workerType: definition.workerType,
        numberOfWorkers: definition.numberOfWorkers,
        timeout: definition.timeoutMinutes,
        maxRetries: definition.maxRetries,
        executionProperty: { maxConcurrentRuns: definition.maxConcurrentRuns },
        jobRunQueuingEnabled: definition.jobRunQueuingEnabled,
        connections: { connections: [connection.ref] },
        defaultArguments: definition.defaultArguments,
      });
    const etlJob = job('EtlJob', definitions.etl, etlRole);
    const aggregateJob = job('AggregateJob', definitions.aggregate, aggregateRole);
    for (const glueJob of [etlJob, aggregateJob]) {
      accept(
        glueJob,
        'GL1',
        'No security configuration: CloudWatch Logs encrypts the job logs at rest with its own keys; a customer KMS key is a hardening step left to the operator.',
      );
      accept(
        glueJob,
        'GL3',
        'Job bookmarks are disabled (--job-bookmark-option job-bookmark-disable): none to encrypt.',
      );
    }
    const etlJobName = definitions.etl.name;
    const aggregateJobName = definitions.aggregate.name;
    const outputPath = s3Url(LAKE_LAYOUT.dailyEngagement);
    const jobArn = (name: string) => this.formatArn({ service: 'glue', resource: 'job', resourceName: name });

    // ---- Trigger Lambdas --------------------------------------------------------------------
    const failureQueue = (queueId: string) => {
      const queue = new Queue(this, queueId, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      accept(queue, 'SQS3', 'This queue is the dead-letter destination (Lambda on-failure) itself.');
      return queue;
    };
    const etlFailures = failureQueue('EtlTriggerFailures');
    const triggerLogs = (logsId: string) =>
      new LogGroup(this, logsId, {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
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
        SOURCE_TZ: settings.sourceTimeZone,
        REPORTING_TZ: settings.reportingTimeZone,
      },
      onFailure: new SqsDestination(etlFailures),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      logGroup: triggerLogs('EtlTriggerLogs'),
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
    acceptLambdaFindings(etlTrigger, [...rawPrefixes, `${LAKE_LAYOUT.glueScripts}runs/`].map(objectsUnder));
    bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(etlTrigger), {
      prefix: LAKE_LAYOUT.playback,
    });
    // CDK's own singleton that applies bucket notifications.
    for (const child of this.node.children.filter((c) =>
      c.node.id.startsWith('BucketNotificationsHandler'),
    )) {
      accept(
        child,
        BASIC_EXECUTION_ROLE,
        "CDK's bucket-notification handler: the AWS managed basic execution role (its logs only).",
      );
    }

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
        REPORTING_TZ: settings.reportingTimeZone,
        LOOKBACK_DAYS: String(settings.lookbackDays),
        CHANGED_DAYS_WINDOW_DAYS: String(settings.changedDaysWindowDays),
        OUTPUT_PATH: outputPath,
      },
      onFailure: new SqsDestination(aggregateFailures),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      logGroup: triggerLogs('AggregateTriggerLogs'),
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
    acceptLambdaFindings(
      aggregateTrigger,
      [`${LAKE_LAYOUT.glueScripts}runs/`, LAKE_LAYOUT.changedDays].map(objectsUnder),
    );
    new Rule(this, 'DailyAggregateSchedule', {
      description: `Daily (${settings.dailyAggregateSchedule}, UTC): aggregate the reporting day that just ended`,
      schedule: Schedule.expression(settings.dailyAggregateSchedule),
      targets: [new LambdaFunction(aggregateTrigger, { retryAttempts: 2 })],
    });

    // ---- Athena -----------------------------------------------------------------------------
    const results = new Bucket(this, 'AthenaResults', {
      ...(settings.athenaResultsBucketName ? { bucketName: settings.athenaResultsBucketName } : {}),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'athena-results/',
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
    if (settings.alarmEmail) alarms.addSubscription(new EmailSubscription(settings.alarmEmail));
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

    // ---- Outputs: what the deploy scripts and the runbook (docs/deploy.md) read -------------
    const outputs: Record<string, [string, string]> = {
      LakeBucketName: [bucket.bucketName, 'The data lake; upload playback files under raw/playback/'],
      LakeRoot: [s3Url(''), 'The lake root: --lake of athena-setup and glue-launcher smoke'],
      EtlTriggerFunctionName: [etlTrigger.functionName, 'Starts an ETL run per playback file'],
      AggregateTriggerFunctionName: [aggregateTrigger.functionName, 'Starts the daily aggregation'],
      EtlJobName: [etlJobName, 'The ETL Glue job'],
      AggregateJobName: [aggregateJobName, 'The aggregation Glue job'],
      GlueRunnerScript: [runner.s3ObjectUrl, 'The runner both Glue jobs run'],
      EtlTriggerFailureQueueUrl: [etlFailures.queueUrl, 'S3 events the ETL trigger gave up on'],
      AggregateTriggerFailureQueueUrl: [
        aggregateFailures.queueUrl,
        'Schedule events the aggregation trigger gave up on',
      ],
      DatabaseSecretArn: [secret.secretArn, 'Credentials of the PostgreSQL database'],
      DatabaseEndpoint: [database.dbInstanceEndpointAddress, 'PostgreSQL host (private subnets only)'],
      DatabaseInstanceId: [
        database.instanceIdentifier,
        'The RDS instance (teardown turns off its deletion protection)',
      ],
      EtlTriggerLogGroupName: [etlTrigger.logGroup.logGroupName, 'Logs of the ETL trigger'],
      AggregateTriggerLogGroupName: [
        aggregateTrigger.logGroup.logGroupName,
        'Logs of the aggregation trigger',
      ],
      AccessLogsBucketName: [accessLogs.bucketName, 'S3 access logs and rejected VPC flows (kept 90 days)'],
      DatabaseName: [DATABASE_NAME, 'The PostgreSQL database holding processed.processed_data'],
      AthenaWorkGroupName: [workGroup.ref, '--workgroup of athena-setup'],
      AthenaResultsBucketName: [results.bucketName, 'Athena query results (kept 30 days)'],
      AlarmTopicArn: [alarms.topicArn, 'Alarms: subscribe more endpoints here'],
    };
    for (const [outputId, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, outputId, { value, description });
    }
  }
}
