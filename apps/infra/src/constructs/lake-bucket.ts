import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
  type CfnBucket,
} from 'aws-cdk-lib/aws-s3';
import { LAKE_LAYOUT } from '@streampulse/schema';
import { Construct } from 'constructs';
import { acceptFinding } from './nag.js';

/** Where the Glue jobs keep their temporary files; the lake expires them after a week. */
export const GLUE_TEMP_PREFIX = 'tmp/glue/';

/**
 * What a {@link LakeBucket} is made with.
 *
 * @example
 * const props: LakeBucketProps = { rejectedRetentionDays: 30 };
 */
export interface LakeBucketProps {
  /** A fixed bucket name; default CloudFormation's. */
  bucketName?: string;
  /** How long rejected rows (raw personal data) are kept. */
  rejectedRetentionDays: number;
}

/**
 * The data lake's bucket: private, encrypted, TLS only, retained on teardown, with its access
 * logs in a bucket of their own (`accessLogs`, also the VPC's flow-log destination) and
 * lifecycle rules for rejected rows, Glue's temporary files and the changed-days records.
 *
 * The bucket is this construct's `Default` child and the access-logs bucket a sibling in the
 * parent scope, so both keep the logical ids they had when the stack built them itself: a
 * deployed lake is never replaced by a refactor.
 *
 * @example
 * const lake = new LakeBucket(stack, 'Lake', { rejectedRetentionDays: 30 });
 * lake.bucket.arnForObjects('raw/playback/*');
 */
export class LakeBucket extends Construct {
  readonly bucket: Bucket;
  /** S3 server access logs of the lake and the Athena results, and rejected VPC flows. */
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: LakeBucketProps) {
    super(scope, id);
    this.accessLogs = new Bucket(scope, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
    });
    acceptFinding(
      this.accessLogs,
      'S1',
      'The access log bucket itself: logging its own writes would log forever.',
    );
    this.bucket = new Bucket(this, 'Default', {
      ...(props.bucketName ? { bucketName: props.bucketName } : {}),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'lake/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-rejected-rows',
          prefix: 'rejected/',
          expiration: Duration.days(props.rejectedRetentionDays),
        },
        { id: 'expire-glue-temp', prefix: GLUE_TEMP_PREFIX, expiration: Duration.days(7) },
        { id: 'expire-changed-days', prefix: LAKE_LAYOUT.changedDays, expiration: Duration.days(30) },
      ],
    });
  }

  /** `s3://<bucket>/<prefix>`. */
  url(prefix: string): string {
    return `s3://${this.bucket.bucketName}/${prefix}`;
  }

  /** cdk-nag's name of an object wildcard under a prefix of the lake, as accepted findings spell it. */
  objectsUnderFinding(prefix: string): string {
    const lakeId = this.bucket.stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    return `IAM5[Resource::<${lakeId}.Arn>/${prefix}*]`;
  }
}
