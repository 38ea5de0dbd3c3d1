import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { InfraError } from '../errors.js';

/**
 * One output of a deployed stack, e.g. the physical name of a function.
 *
 * @example
 * const name = await stackOutput(new CloudFormationClient({}), 'StreamPulse', 'EtlTriggerFunctionName');
 */
export async function stackOutput(
  client: CloudFormationClient,
  stackName: string,
  key: string,
): Promise<string> {
  let output;
  try {
    output = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/does not exist/.test(message)) {
      throw new InfraError(
        'stack_not_found',
        `stack ${stackName} is not deployed: run \`npm run deploy -w apps/infra\` first`,
        { cause: error },
      );
    }
    throw new InfraError('aws_error', `describing stack ${stackName}: ${message}`, { cause: error });
  }
  const value = output.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
  if (!value) throw new InfraError('output_not_found', `stack ${stackName} has no output ${key}`);
  return value;
}
