import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { glueJobDefinitions, LAKE_LAYOUT } from '@streampulse/schema';
import type { Construct } from 'constructs';
import { bundleDir, glueRunnerPath, lambdaBundleCode } from './bundles.js';
import { PipelineAlarms } from './constructs/alarms.js';
import { GlueJob } from './constructs/glue-job.js';
import { GLUE_TEMP_PREFIX, LakeBucket } from './constructs/lake-bucket.js';
import { acceptFinding, BASIC_EXECUTION_ROLE } from './constructs/nag.js';
import { TriggerFunction } from './constructs/trigger-function.js';
import { CONNECTION_NAME, DATABASE_NAME, WarehouseDatabase } from './constructs/warehouse-database.js';
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
 * The whole AWS side of StreamPulse: the data-lake bucket and its playback notification, the two
 * trigger Lambdas with on-failure queues, the daily schedule, both Glue jobs with least-privilege
 * roles and a connection into the database's VPC, RDS PostgreSQL with TLS required, the Athena
 * workgroup, and alarms for failed Glue runs and for events the Lambdas gave up on. The parts are
 * constructs (`LakeBucket`, `WarehouseDatabase`, `GlueJob`, `TriggerFunction`, `PipelineAlarms`);
 * this class wires them. Each keeps the logical ids its resources had before the split, which a
 * test pins, so updating a deployed stack replaces nothing stateful.
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

    const lake = new LakeBucket(this, 'Lake', {
      ...(settings.lakeBucketName ? { bucketName: settings.lakeBucketName } : {}),
      rejectedRetentionDays: settings.rejectedRetentionDays,
    });
    const bucket = lake.bucket;
    this.bucket = bucket;
    const database = new WarehouseDatabase(this, 'Database', {
      instanceClass: settings.databaseInstanceClass,
      storageGiB: settings.databaseStorageGiB,
      flowLogs: lake.accessLogs,
    });
    this.databaseSecret = database.secret;

    // ---- Glue jobs --------------------------------------------------------------------------
    // The runner ships with the stack as a file asset: `cdk deploy` uploads it to the bootstrap
    // bucket under its content hash, so a changed runner.py changes the jobs' ScriptLocation and
    // CloudFormation updates them; nothing else uploads or redefines the jobs.
    const runner = new Asset(this, 'GlueRunner', { path: glueRunnerPath() });
    const definitions = glueJobDefinitions({
      connectionName: CONNECTION_NAME,
      tempDir: lake.url(GLUE_TEMP_PREFIX),
      workerType: settings.glueWorkerType,
      numberOfWorkers: settings.glueWorkerCount,
      etlMaxConcurrentRuns: settings.etlMaxConcurrentRuns,
    });
    const jobProps = {
      runner,
      lake,
      secret: database.secret,
      connection: database.connection,
      connectionName: CONNECTION_NAME,
    };
    const scripts = LAKE_LAYOUT.glueScripts;
    const etlJob = new GlueJob(this, 'EtlJob', {
      ...jobProps,
      definition: definitions.etl,
      roleDescription: 'StreamPulse ETL job: reads raw/, writes rejected/ and the days it changed',
      reads: [LAKE_LAYOUT.playback, LAKE_LAYOUT.contentMetadata, LAKE_LAYOUT.userProfiles, scripts],
      writes: ['rejected/', LAKE_LAYOUT.changedDays, GLUE_TEMP_PREFIX],
    });
    const aggregateJob = new GlueJob(this, 'AggregateJob', {
      ...jobProps,
      definition: definitions.aggregate,
      roleDescription: 'StreamPulse aggregation job: writes analytics/',
      reads: [scripts],
      writes: ['analytics/', GLUE_TEMP_PREFIX],
    });

    // ---- Trigger Lambdas --------------------------------------------------------------------
    const runPlansPrefix = `${scripts}runs/`;
    const writeRunPlans = () =>
      new PolicyStatement({
        sid: 'WriteRunPlans',
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${runPlansPrefix}*`)],
      });
    // The ETL trigger compiles each run's plan: it lists the dimension files, reads the headers
    // of the raw files, and writes the plan under scripts/glue/runs/.
    const rawPrefixes = [LAKE_LAYOUT.playback, LAKE_LAYOUT.contentMetadata, LAKE_LAYOUT.userProfiles];
    const etlTrigger = new TriggerFunction(this, 'EtlTrigger', {
      description: 'Starts the ETL Glue job for each playback file written under raw/playback/',
      code: props.etlTriggerCode ?? lambdaBundleCode(bundleDir('etl-trigger'), 'etl-trigger'),
      // The contract settings each run's plan is compiled with.
      environment: {
        ETL_JOB_NAME: etlJob.jobName,
        PLAYBACK_PREFIX: LAKE_LAYOUT.playback,
        SOURCE_TZ: settings.sourceTimeZone,
        REPORTING_TZ: settings.reportingTimeZone,
      },
      startsJob: etlJob,
      policies: [
        new PolicyStatement({
          sid: 'ListRawPrefixes',
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': rawPrefixes.map((p) => `${p}*`) } },
        }),
        new PolicyStatement({
          sid: 'ReadRawHeaders',
          actions: ['s3:GetObject'],
          resources: rawPrefixes.map((p) => bucket.arnForObjects(`${p}*`)),
        }),
        writeRunPlans(),
      ],
      acceptedWildcards: [...rawPrefixes, runPlansPrefix].map((p) => lake.objectsUnderFinding(p)),
    });
    bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(etlTrigger.function), {
      prefix: LAKE_LAYOUT.playback,
    });
    // CDK's own singleton that applies bucket notifications.
    for (const child of this.node.children.filter((c) =>
      c.node.id.startsWith('BucketNotificationsHandler'),
    )) {
      acceptFinding(
        child,
        BASIC_EXECUTION_ROLE,
        "CDK's bucket-notification handler: the AWS managed basic execution role (its logs only).",
      );
    }

    const aggregateTrigger = new TriggerFunction(this, 'AggregateTrigger', {
      description: 'Starts the daily aggregation Glue job for the reporting day that just ended',
      code:
        props.aggregateTriggerCode ?? lambdaBundleCode(bundleDir('aggregate-trigger'), 'aggregate-trigger'),
      environment: {
        AGGREGATE_JOB_NAME: aggregateJob.jobName,
        REPORTING_TZ: settings.reportingTimeZone,
        LOOKBACK_DAYS: String(settings.lookbackDays),
        CHANGED_DAYS_WINDOW_DAYS: String(settings.changedDaysWindowDays),
        OUTPUT_PATH: lake.url(LAKE_LAYOUT.dailyEngagement),
      },
      startsJob: aggregateJob,
      policies: [
        writeRunPlans(),
        new PolicyStatement({
          sid: 'ListChangedDays',
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${LAKE_LAYOUT.changedDays}*`] } },
        }),
        new PolicyStatement({
          sid: 'ReadChangedDays',
          actions: ['s3:GetObject'],
          resources: [bucket.arnForObjects(`${LAKE_LAYOUT.changedDays}*`)],
        }),
      ],
      acceptedWildcards: [runPlansPrefix, LAKE_LAYOUT.changedDays].map((p) => lake.objectsUnderFinding(p)),
    });
    new Rule(this, 'DailyAggregateSchedule', {
      description: `Daily (${settings.dailyAggregateSchedule}, UTC): aggregate the reporting day that just ended`,
      schedule: Schedule.expression(settings.dailyAggregateSchedule),
      targets: [new LambdaFunction(aggregateTrigger.function, { retryAttempts: 2 })],
    });

    // ---- Athena -----------------------------------------------------------------------------
    const results = new Bucket(this, 'AthenaResults', {
      ...(settings.athenaResultsBucketName ? { bucketName: settings.athenaResultsBucketName } : {}),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: lake.accessLogs,
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

    const alarms = new PipelineAlarms(this, 'Alarms', {
      ...(settings.alarmEmail ? { email: settings.alarmEmail } : {}),
      jobNames: [etlJob.jobName, aggregateJob.jobName],
      etlFailures: etlTrigger.failures,
      aggregateFailures: aggregateTrigger.failures,
    });

    // ---- Outputs: what the deploy scripts and the runbook (docs/deploy.md) read -------------
    const outputs: Record<string, [string, string]> = {
      LakeBucketName: [bucket.bucketName, 'The data lake; upload playback files under raw/playback/'],
      LakeRoot: [lake.url(''), 'The lake root: --lake of athena-setup and glue-launcher smoke'],
      EtlTriggerFunctionName: [etlTrigger.function.functionName, 'Starts an ETL run per playback file'],
      AggregateTriggerFunctionName: [aggregateTrigger.function.functionName, 'Starts the daily aggregation'],
      EtlJobName: [etlJob.jobName, 'The ETL Glue job'],
      AggregateJobName: [aggregateJob.jobName, 'The aggregation Glue job'],
      GlueRunnerScript: [runner.s3ObjectUrl, 'The runner both Glue jobs run'],
      EtlTriggerFailureQueueUrl: [etlTrigger.failures.queueUrl, 'S3 events the ETL trigger gave up on'],
      AggregateTriggerFailureQueueUrl: [
        aggregateTrigger.failures.queueUrl,
        'Schedule events the aggregation trigger gave up on',
      ],
      DatabaseSecretArn: [database.secret.secretArn, 'Credentials of the PostgreSQL database'],
      DatabaseEndpoint: [
        database.instance.dbInstanceEndpointAddress,
        'PostgreSQL host (private subnets only)',
      ],
      DatabaseInstanceId: [
        database.instance.instanceIdentifier,
        'The RDS instance (teardown turns off its deletion protection)',
      ],
      EtlTriggerLogGroupName: [etlTrigger.function.logGroup.logGroupName, 'Logs of the ETL trigger'],
      AggregateTriggerLogGroupName: [
        aggregateTrigger.function.logGroup.logGroupName,
        'Logs of the aggregation trigger',
      ],
      AccessLogsBucketName: [
        lake.accessLogs.bucketName,
        'S3 access logs and rejected VPC flows (kept 90 days)',
      ],
      DatabaseName: [DATABASE_NAME, 'The PostgreSQL database holding processed.processed_data'],
      AthenaWorkGroupName: [workGroup.ref, '--workgroup of athena-setup'],
      AthenaResultsBucketName: [results.bucketName, 'Athena query results (kept 30 days)'],
      AlarmTopicArn: [alarms.topic.topicArn, 'Alarms: subscribe more endpoints here'],
    };
    for (const [outputId, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, outputId, { value, description });
    }
  }
}
