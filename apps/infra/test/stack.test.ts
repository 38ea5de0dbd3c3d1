import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleDir, glueRunnerPath, InfraError, lambdaBundleCode } from '../src/index.js';
import { logicalId, policyStatements, synthStack, synthTemplate } from './support.js';

let template: Template;
let outdir: string;
beforeAll(() => {
  ({ template, outdir } = synthStack({
    settings: { rejectedRetentionDays: 45, alarmEmail: 'oncall@example.com' },
  }));
});

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const lakeBucketId = () =>
  logicalId(template, 'AWS::S3::Bucket', {
    LifecycleConfiguration: Match.objectLike({
      Rules: Match.arrayWith([Match.objectLike({ Prefix: 'rejected/' })]),
    }),
  });

describe('the data-lake bucket', () => {
  it('blocks public access and sets its encryption explicitly', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: Match.objectLike({
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'rejected/' })]),
      }),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  it('denies every request that is not over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: lakeBucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('expires rejected/ (raw personal data) after the configured number of days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          { Id: 'expire-rejected-rows', Prefix: 'rejected/', ExpirationInDays: 45, Status: 'Enabled' },
        ]),
      },
    });
    const defaults = synthTemplate();
    defaults.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'rejected/', ExpirationInDays: 30 })]),
      },
    });
  });

  it('notifies the ETL trigger of objects created under raw/playback/ only', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: lakeBucketId() },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'raw/playback/' }] } },
            LambdaFunctionArn: {
              'Fn::GetAtt': [
                logicalId(template, 'AWS::Lambda::Function', {
                  Handler: 'index.handler',
                  Environment: Match.objectLike({
                    Variables: Match.objectLike({ ETL_JOB_NAME: 'streampulse-etl' }),
                  }),
                }),
                'Arn',
              ],
            },
          },
        ],
      },
    });
  });
});

describe('access logs', () => {
  it("log requests to the lake and the Athena results, and the VPC's rejected flows, into one bucket", () => {
    const logBucket = logicalId(template, 'AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-access-logs' })] },
    });
    for (const prefix of ['lake/', 'athena-results/']) {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: { DestinationBucketName: { Ref: logBucket }, LogFilePrefix: prefix },
      });
    }
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'REJECT',
      LogDestinationType: 's3',
      LogDestination: Match.objectLike({
        'Fn::Join': Match.arrayWith([Match.arrayWith(['/vpc-flow-logs/'])]),
      }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-access-logs' })] },
    });
  });
});

describe('the trigger Lambdas', () => {
  const etlId = () =>
    logicalId(template, 'AWS::Lambda::Function', {
      Environment: Match.objectLike({ Variables: Match.objectLike({ ETL_JOB_NAME: Match.anyValue() }) }),
    });
  const aggregateId = () =>
    logicalId(template, 'AWS::Lambda::Function', {
      Environment: Match.objectLike({
        Variables: Match.objectLike({ AGGREGATE_JOB_NAME: Match.anyValue() }),
      }),
    });

  it('run the bundles on Node 22 with the settings as environment variables', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('\\.zip$') },
      Environment: {
        Variables: Match.exact({
          ETL_JOB_NAME: 'streampulse-etl',
          PLAYBACK_PREFIX: 'raw/playback/',
          SOURCE_TZ: 'UTC',
          REPORTING_TZ: 'Asia/Kolkata',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Environment: {
        Variables: {
          AGGREGATE_JOB_NAME: 'streampulse-aggregate',
          REPORTING_TZ: 'Asia/Kolkata',
          LOOKBACK_DAYS: '1',
          OUTPUT_PATH: {
            'Fn::Join': ['', ['s3://', { Ref: lakeBucketId() }, '/analytics/daily_aggregates/']],
          },
        },
      },
    });
  });

  it('send events they give up on to their own encrypted SQS on-failure queue', () => {
    for (const fn of [etlId(), aggregateId()]) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fn },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
      });
    }
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('may only start their own Glue job', () => {
    const starts = policyStatements(template).filter((s) => asList(s.Action).includes('glue:StartJobRun'));
    expect(starts).toHaveLength(2);
    for (const statement of starts) {
      expect(asList(statement.Action)).toEqual(['glue:StartJobRun']);
      expect(JSON.stringify(statement.Resource)).toMatch(/:job\/streampulse-(etl|aggregate)"/);
    }
  });

  it('fire the aggregation trigger daily at 20:30 UTC (02:00 IST)', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 20 * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [aggregateId(), 'Arn'] } })],
    });
  });
});

describe('the Glue jobs', () => {
  it.each([
    ['streampulse-etl', 10],
    ['streampulse-aggregate', 1],
  ])('%s runs the runner the stack ships on Glue 5.0, with bounded and queued runs', (name, runs) => {
    template.hasResourceProperties('AWS::Glue::Job', {
      Name: name,
      Command: {
        Name: 'glueetl',
        PythonVersion: '3',
        ScriptLocation: {
          'Fn::Sub': Match.stringLikeRegexp(
            '^s3://cdk-[a-z0-9]+-assets-\\$\\{AWS::AccountId\\}-\\$\\{AWS::Region\\}/[0-9a-f]{64}\\.py$',
          ),
        },
      },
      GlueVersion: '5.0',
      WorkerType: 'G.1X',
      NumberOfWorkers: 2,
      ExecutionProperty: { MaxConcurrentRuns: runs },
      JobRunQueuingEnabled: true,
      Connections: { Connections: [{ Ref: logicalId(template, 'AWS::Glue::Connection') }] },
    });
  });

  it("ships glue-launcher's runner.py as a file asset, the jobs' script", () => {
    const assets = JSON.parse(readFileSync(join(outdir, 'StreamPulse.assets.json'), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging: string } }>;
    };
    const scripts = Object.entries(assets.files).filter(([, f]) => f.source.path.endsWith('.py'));
    expect(scripts).toHaveLength(1);
    const [hash, asset] = scripts[0] as [string, { source: { path: string; packaging: string } }];
    expect(asset.source.packaging).toBe('file');
    expect(readFileSync(join(outdir, asset.source.path), 'utf8')).toBe(
      readFileSync(glueRunnerPath(), 'utf8'),
    );
    for (const job of Object.values(template.findResources('AWS::Glue::Job'))) {
      expect(JSON.stringify(job.Properties.Command.ScriptLocation)).toContain(`/${hash}.py`);
    }
    expect(glueRunnerPath()).toMatch(/\/apps\/glue-launcher\/glue\/runner\.py$/);
  });

  it('give the runner only the Glue connection and Glue its own flags: no plan, no legacy argument', () => {
    const jobs = Object.values(template.findResources('AWS::Glue::Job'));
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      expect(Object.keys(job.Properties.DefaultArguments).sort()).toEqual([
        '--TempDir',
        '--connection_name',
        '--enable-continuous-cloudwatch-log',
        '--enable-metrics',
        '--job-bookmark-option',
        '--job-language',
      ]);
      expect(job.Properties.DefaultArguments['--connection_name']).toBe('streampulse-postgres');
    }
  });

  function roleStatements(roleIdPrefix: string) {
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${roleIdPrefix}`) }] },
    });
    return Object.values(policies).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Sid?: string; Action: unknown; Resource: unknown }[],
    );
  }
  const resourcesOf = (statements: { Sid?: string; Resource: unknown }[], sid: string) =>
    JSON.stringify(statements.find((s) => s.Sid === sid)?.Resource);

  it('lets the ETL role read raw/ and write only rejected/, the changed days and its temp prefix', () => {
    const statements = roleStatements('EtlJobRole');
    expect(resourcesOf(statements, 'ReadInputs')).toContain('/raw/playback/*');
    expect(resourcesOf(statements, 'WriteOutputs')).toContain('/rejected/*');
    expect(resourcesOf(statements, 'WriteOutputs')).toContain('/state/changed-days/*');
    expect(resourcesOf(statements, 'WriteOutputs')).not.toContain('analytics/');
  });

  it('lets the aggregation role write analytics/ and read nothing under raw/', () => {
    const statements = roleStatements('AggregateJobRole');
    expect(resourcesOf(statements, 'WriteOutputs')).toContain('/analytics/*');
    expect(JSON.stringify(statements)).not.toContain('raw/');
  });

  it('lets both roles read the one database secret, and nothing else in Secrets Manager', () => {
    for (const role of ['EtlJobRole', 'AggregateJobRole']) {
      const reads = roleStatements(role).filter((s) =>
        asList(s.Action).some((a) => String(a).startsWith('secretsmanager:')),
      );
      expect(reads).toHaveLength(1);
      expect(reads[0]?.Resource).toEqual({ Ref: expect.stringMatching(/^DatabaseSecretAttachment/) });
    }
  });

  it('reach the database through a JDBC connection in its VPC, with S3 and Secrets Manager endpoints there', () => {
    template.hasResourceProperties('AWS::Glue::Connection', {
      ConnectionInput: {
        ConnectionType: 'JDBC',
        ConnectionProperties: {
          JDBC_CONNECTION_URL: Match.objectLike({
            'Fn::Join': Match.arrayWith([Match.arrayWith(['jdbc:postgresql://'])]),
          }),
          SECRET_ID: { Ref: Match.stringLikeRegexp('^DatabaseSecretAttachment') },
          JDBC_ENFORCE_SSL: 'true',
        },
        PhysicalConnectionRequirements: {
          SubnetId: { Ref: Match.stringLikeRegexp('^Vpcdata') },
          AvailabilityZone: Match.anyValue(),
          SecurityGroupIdList: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^GlueSecurityGroup'), 'GroupId'] }],
        },
      },
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.s3'])]) }),
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.secretsmanager'])]) }),
      PrivateDnsEnabled: true,
    });
  });

  it('reach Secrets Manager, Glue, CloudWatch Logs and metrics through endpoints in the connection subnet only', () => {
    const connectionSubnet = template.findResources('AWS::Glue::Connection');
    const subnet = JSON.stringify(
      Object.values(connectionSubnet)[0]?.Properties.ConnectionInput.PhysicalConnectionRequirements.SubnetId,
    );
    const interfaces = Object.values(
      template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }),
    );
    const services = interfaces.map(
      (e) => JSON.stringify(e.Properties.ServiceName).match(/\.(\w+)"\]\]\}$/)?.[1],
    );
    expect(services.sort()).toEqual(['glue', 'logs', 'monitoring', 'secretsmanager']);
    for (const endpoint of interfaces) {
      expect(endpoint.Properties.PrivateDnsEnabled).toBe(true);
      expect(JSON.stringify(endpoint.Properties.SubnetIds)).toBe(`[${subnet}]`);
    }
  });
});

describe('the database', () => {
  it('is PostgreSQL on db.t3.micro in private subnets, database streampulse, storage encrypted', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      DBInstanceClass: 'db.t3.micro',
      DBName: 'streampulse',
      StorageEncrypted: true,
      PubliclyAccessible: false,
      DeletionProtection: true,
      DBParameterGroupName: { Ref: Match.stringLikeRegexp('^DatabaseParameters') },
    });
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^Vpcdata') }]),
    });
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  it('requires TLS (rds.force_ssl=1)', () => {
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: Match.stringLikeRegexp('^postgres'),
      Parameters: { 'rds.force_ssl': '1' },
    });
  });

  it('keeps its credentials in a Secrets Manager secret attached to the instance', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"streampulse_admin"}' }),
    });
    template.hasResourceProperties('AWS::SecretsManager::SecretTargetAttachment', {
      TargetType: 'AWS::RDS::DBInstance',
    });
  });

  it('admits only the Glue security group on 5432', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GlueSecurityGroup'), 'GroupId'] },
    });
  });
});

describe('Athena', () => {
  it('has a workgroup with encrypted results at a fixed location', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'streampulse',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          OutputLocation: {
            'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^AthenaResults') }, '/results/']],
          },
        },
      },
    });
  });
});

describe('alarms', () => {
  const topicRef = () => ({ Ref: logicalId(template, 'AWS::SNS::Topic') });

  it('sends Glue runs that FAILED or TIMED OUT to the alarm topic and alarms on them', () => {
    const ruleId = logicalId(template, 'AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.glue'],
        'detail-type': ['Glue Job State Change'],
        detail: { jobName: ['streampulse-etl', 'streampulse-aggregate'], state: ['FAILED', 'TIMEOUT'] },
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: topicRef() })] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Dimensions: [{ Name: 'RuleName', Value: { Ref: ruleId } }],
      Threshold: 1,
      AlarmActions: [topicRef()],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });

  it('alarms when a message waits in either on-failure queue', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' },
    });
    const queues = Object.values(alarms).map((a) => JSON.stringify(a.Properties.Dimensions));
    expect(queues).toHaveLength(2);
    expect(queues.some((q) => q.includes('EtlTriggerFailures'))).toBe(true);
    expect(queues.some((q) => q.includes('AggregateTriggerFailures'))).toBe(true);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topicRef()],
      });
    }
  });
});

describe('least privilege', () => {
  it('attaches no full-access or administrator managed policy to any role', () => {
    const managed = JSON.stringify(
      Object.values(template.findResources('AWS::IAM::Role')).map(
        (r) => r.Properties.ManagedPolicyArns ?? [],
      ),
    );
    expect(managed).not.toMatch(/FullAccess|AdministratorAccess|PowerUserAccess/);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  it('has no statement allowing Action "*" on Resource "*", nor any service-wide wildcard action', () => {
    const allows = policyStatements(template).filter((s) => s.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(10);
    for (const statement of allows) {
      const actions = asList(statement.Action).map(String);
      expect(actions).not.toContain('*');
      expect(actions.filter((a) => a.endsWith(':*'))).toEqual([]);
      if (asList(statement.Resource).includes('*')) {
        expect(
          actions.every(
            (a) =>
              a.startsWith('ec2:') || a === 'cloudwatch:PutMetricData' || a === 's3:PutBucketNotification',
          ),
        ).toBe(true);
      }
    }
  });
});

describe('the Lambda bundles', () => {
  it('must be built before synth: a missing bundle fails with a message saying how to build it', () => {
    expect(() => lambdaBundleCode('/nonexistent/apps/etl-trigger/dist', 'etl-trigger')).toThrow(InfraError);
    expect(() => lambdaBundleCode('/nonexistent/apps/etl-trigger/dist', 'etl-trigger')).toThrow(
      /run `npm run build -w apps\/etl-trigger` first/,
    );
  });

  it('default to apps/<app>/dist of this repository', () => {
    expect(bundleDir('etl-trigger')).toMatch(/\/apps\/etl-trigger\/dist$/);
    expect(bundleDir('aggregate-trigger')).toMatch(/\/apps\/aggregate-trigger\/dist$/);
  });
});

describe('the trigger Lambdas can plan their runs', () => {
  it('let the ETL trigger list and read the raw prefixes and write run plans, and nothing more', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: { Sid?: string }[] } } }).Properties.PolicyDocument
          .Statement,
    );
    const sids = statements.map((s) => s.Sid);
    expect(sids).toContain('ListRawPrefixes');
    expect(sids).toContain('ReadRawHeaders');
    expect(sids.filter((sid) => sid === 'WriteRunPlans')).toHaveLength(2);
    const write = statements.find((s) => s.Sid === 'WriteRunPlans') as { Action: unknown; Resource: unknown };
    expect(write.Action).toBe('s3:PutObject');
    expect(JSON.stringify(write.Resource)).toContain('scripts/glue/runs/*');
  });

  it('let the aggregation trigger list and read only the changed-days records, kept 30 days', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        (
          p as {
            Properties: {
              PolicyDocument: {
                Statement: { Sid?: string; Action: unknown; Resource: unknown; Condition?: unknown }[];
              };
            };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const list = statements.find((s) => s.Sid === 'ListChangedDays');
    expect(list?.Action).toBe('s3:ListBucket');
    expect(JSON.stringify(list?.Condition)).toContain('state/changed-days/*');
    const read = statements.find((s) => s.Sid === 'ReadChangedDays');
    expect(read?.Action).toBe('s3:GetObject');
    expect(JSON.stringify(read?.Resource)).toContain('/state/changed-days/*');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CHANGED_DAYS_WINDOW_DAYS: '7' }) },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'expire-changed-days',
            Prefix: 'state/changed-days/',
            ExpirationInDays: 30,
          }),
        ]),
      },
    });
  });
});

describe('the outputs', () => {
  it('give every value docs/deploy.md reads, each with a description', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'AccessLogsBucketName',
      'AggregateJobName',
      'AggregateTriggerFailureQueueUrl',
      'AggregateTriggerFunctionName',
      'AggregateTriggerLogGroupName',
      'AlarmTopicArn',
      'AthenaResultsBucketName',
      'AthenaWorkGroupName',
      'DatabaseEndpoint',
      'DatabaseInstanceId',
      'DatabaseName',
      'DatabaseSecretArn',
      'EtlJobName',
      'EtlTriggerFailureQueueUrl',
      'EtlTriggerFunctionName',
      'EtlTriggerLogGroupName',
      'GlueRunnerScript',
      'LakeBucketName',
      'LakeRoot',
    ]);
    for (const output of Object.values(outputs)) expect(output.Description).toMatch(/\w{4}/);
    expect(outputs.LakeRoot?.Value).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: lakeBucketId() }, '/']] });
  });
});
