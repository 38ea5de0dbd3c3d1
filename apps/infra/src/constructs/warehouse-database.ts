import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
import { CfnConnection } from 'aws-cdk-lib/aws-glue';
import {
  type CfnDBSubnetGroup,
  Credentials,
  DatabaseInstance,
  DatabaseInstanceEngine,
  ParameterGroup,
  PostgresEngineVersion,
} from 'aws-cdk-lib/aws-rds';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acceptFinding } from './nag.js';

/** The PostgreSQL database holding `processed.processed_data`. */
export const DATABASE_NAME = 'streampulse';
/** The Glue connection both jobs use to reach the database. */
export const CONNECTION_NAME = 'streampulse-postgres';

/**
 * What a {@link WarehouseDatabase} is made with.
 *
 * @example
 * const props: WarehouseDatabaseProps = { instanceClass: 'db.t4g.micro', storageGiB: 20, flowLogs: lake.accessLogs };
 */
export interface WarehouseDatabaseProps {
  /** An RDS instance class, with or without its `db.` prefix. */
  instanceClass: string;
  storageGiB: number;
  /** Where the VPC's rejected flows go. */
  flowLogs: IBucket;
}

/**
 * The warehouse: RDS PostgreSQL with TLS required in an isolated VPC (no NAT, no route from
 * outside), and the Glue connection into that VPC, with the security group its jobs' ENIs use
 * and the endpoints they reach AWS through.
 *
 * The instance is this construct's `Default` child and the network, parameter group and
 * connection are siblings in the parent scope, so every logical id is the one the stack gave them
 * before it was split: a deployed database is never replaced by a refactor.
 *
 * @example
 * const database = new WarehouseDatabase(stack, 'Database', { instanceClass: 'db.t4g.micro', storageGiB: 20, flowLogs });
 * database.secret.grantRead(role);
 */
export class WarehouseDatabase extends Construct {
  readonly instance: DatabaseInstance;
  /** The generated admin credentials. */
  readonly secret: ISecret;
  readonly connection: CfnConnection;
  /** The ENIs of the Glue jobs; the only group the database admits. */
  readonly glueSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: WarehouseDatabaseProps) {
    super(scope, id);
    const vpc = new Vpc(scope, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    vpc.addFlowLog('RejectedFlows', {
      destination: FlowLogDestination.toS3(props.flowLogs, 'vpc-flow-logs/'),
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
    this.glueSecurityGroup = new SecurityGroup(scope, 'GlueSecurityGroup', {
      vpc,
      description: 'Glue job ENIs',
      allowAllOutbound: true,
    });
    const glueSecurityGroup = this.glueSecurityGroup;
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
    const databaseSecurityGroup = new SecurityGroup(scope, 'DatabaseSecurityGroup', {
      vpc,
      description: 'StreamPulse PostgreSQL',
      allowAllOutbound: false,
    });
    databaseSecurityGroup.addIngressRule(glueSecurityGroup, Port.tcp(5432), 'Glue jobs');

    // A full version: RDS no longer creates an instance from a major version alone (cfn-lint
    // W3691). Minor upgrades stay automatic; CloudFormation only acts when this value changes.
    const engine = DatabaseInstanceEngine.postgres({ version: PostgresEngineVersion.VER_16_9 });
    this.instance = new DatabaseInstance(this, 'Default', {
      engine,
      instanceType: new InstanceType(props.instanceClass.replace(/^db\./, '')),
      vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
      securityGroups: [databaseSecurityGroup],
      databaseName: DATABASE_NAME,
      credentials: Credentials.fromGeneratedSecret('streampulse_admin'),
      storageEncrypted: true,
      parameterGroup: new ParameterGroup(scope, 'DatabaseParameters', {
        engine,
        description: 'StreamPulse PostgreSQL: TLS required',
        parameters: { 'rds.force_ssl': '1' },
      }),
      publiclyAccessible: false,
      multiAz: false,
      allocatedStorage: props.storageGiB,
      backupRetention: Duration.days(7),
      removalPolicy: RemovalPolicy.SNAPSHOT,
      // The warehouse is the pipeline's only copy of the processed rows; teardown turns it off first.
      deletionProtection: true,
    });
    const database = this.instance;
    // RDS names the subnet group after the instance's construct id, which is `Default` here: keep
    // the description it had, so a deployed subnet group is left alone.
    const subnetGroup = database.node.findChild('SubnetGroup').node.defaultChild as CfnDBSubnetGroup;
    subnetGroup.dbSubnetGroupDescription = `Subnet group for ${id} database`;
    acceptFinding(
      database,
      'RDS3',
      'Single-AZ by default for cost; the instance is rebuilt from snapshot and the lake.',
    );
    acceptFinding(
      database,
      'RDS11',
      'The port is no boundary here: no route from outside, only the Glue group admitted.',
    );
    const secret = database.secret;
    if (!secret) throw new Error('the database has no generated secret');
    acceptFinding(
      database.node.findChild('Secret'),
      'SMG4',
      'Rotation needs a rotation Lambda inside the isolated VPC; docs/deploy.md says how to rotate by hand.',
    );
    this.secret = secret;

    this.connection = new CfnConnection(scope, 'DatabaseConnection', {
      catalogId: Stack.of(this).account,
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
  }
}
