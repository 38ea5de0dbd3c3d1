import { ArnFormat, Stack } from 'aws-cdk-lib';
import { CfnJob, type CfnConnection } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { GlueJobDefinition } from '@streampulse/schema';
import { Construct } from 'constructs';
import type { LakeBucket } from './lake-bucket.js';
import { acceptFinding } from './nag.js';

/**
 * What a {@link GlueJob} is made with.
 *
 * @example
 * const props: GlueJobProps = { definition: definitions.etl, description, runner, lake, database, reads, writes };
 */
export interface GlueJobProps {
  /** The job as `glueJobDefinitions` of `@streampulse/schema` defines it: name, workers, arguments. */
  definition: GlueJobDefinition;
  /** What the role is for, in a sentence. */
  roleDescription: string;
  /** The runner script both jobs run, shipped as a file asset. */
  runner: Asset;
  lake: LakeBucket;
  /** The database's credentials and the connection into its VPC. */
  secret: ISecret;
  connection: CfnConnection;
  connectionName: string;
  /** Lake prefixes the job reads; only these. */
  reads: string[];
  /** Lake prefixes the job writes (and reads back, deletes); only these. */
  writes: string[];
}

/**
 * One Glue job and its least-privilege role: the runner script, the given lake prefixes (listing
 * limited to them by condition), the database secret and connection, Glue's own log groups and
 * metrics, and the network interfaces Glue places in the VPC.
 *
 * The job is this construct's `Default` child and the role a sibling `<id>Role` in the parent
 * scope: the logical ids the stack gave them before it was split.
 *
 * @example
 * const etl = new GlueJob(stack, 'EtlJob', { definition: definitions.etl, roleDescription, runner, lake, secret, connection, connectionName, reads, writes });
 * etl.job.ref; // the job's name
 */
export class GlueJob extends Construct {
  readonly job: CfnJob;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: GlueJobProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { lake, reads, writes } = props;
    const bucket = lake.bucket;
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('glue.amazonaws.com'),
      description: props.roleDescription,
    });
    this.role = role;
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadRunner',
        actions: ['s3:GetObject'],
        resources: [`arn:${stack.partition}:s3:::${props.runner.s3BucketName}/${props.runner.s3ObjectKey}`],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ListOwnPrefixes',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [...reads, ...writes].map((p) => `${p}*`) } },
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadInputs',
        actions: ['s3:GetObject'],
        resources: reads.map((p) => bucket.arnForObjects(`${p}*`)),
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteOutputs',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: writes.map((p) => bucket.arnForObjects(`${p}*`)),
      }),
    );
    props.secret.grantRead(role);
    role.addToPolicy(
      new PolicyStatement({
        sid: 'UseDatabaseConnection',
        actions: ['glue:GetConnection'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'connection', resourceName: props.connectionName }),
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
        ],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'JobLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        resources: [
          stack.formatArn({
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
    for (const prefix of [...reads, ...writes]) {
      acceptFinding(
        role,
        lake.objectsUnderFinding(prefix),
        'The job reads or writes whatever lies under this prefix.',
      );
    }
    acceptFinding(
      role,
      'IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws-glue/*]',
      "Glue's own log groups (/aws-glue/jobs/..., named by Glue at run time).",
    );
    acceptFinding(
      role,
      'IAM5[Resource::*]',
      'PutMetricData limited to the Glue namespace by condition, and the network-interface actions Glue needs in the VPC, which EC2 does not scope to resources.',
    );

    const { definition } = props;
    this.job = new CfnJob(this, 'Default', {
      name: definition.name,
      role: role.roleArn,
      description: definition.description,
      command: {
        name: definition.command.name,
        scriptLocation: props.runner.s3ObjectUrl,
        pythonVersion: definition.command.pythonVersion,
      },
      glueVersion: definition.glueVersion,
      workerType: definition.workerType,
      numberOfWorkers: definition.numberOfWorkers,
      timeout: definition.timeoutMinutes,
      maxRetries: definition.maxRetries,
      executionProperty: { maxConcurrentRuns: definition.maxConcurrentRuns },
      jobRunQueuingEnabled: definition.jobRunQueuingEnabled,
      connections: { connections: [props.connection.ref] },
      defaultArguments: definition.defaultArguments,
    });
    acceptFinding(
      this.job,
      'GL1',
      'No security configuration: CloudWatch Logs encrypts the job logs at rest with its own keys; a customer KMS key is a hardening step left to the operator.',
    );
    acceptFinding(
      this.job,
      'GL3',
      'Job bookmarks are disabled (--job-bookmark-option job-bookmark-disable): none to encrypt.',
    );
  }

  /** The job's name. */
  get jobName(): string {
    return this.job.name as string;
  }

  /** The job's ARN, for `glue:StartJobRun`. */
  get jobArn(): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: 'job', resourceName: this.jobName });
  }
}
