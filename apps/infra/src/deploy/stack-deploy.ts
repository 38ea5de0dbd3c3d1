import { GetTemplateCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { InfraError } from '../errors.js';
import type { Logger } from '@streampulse/logging';

interface TemplateShape {
  Resources?: Record<string, { Type?: string; Properties?: unknown }>;
}

/**
 * How a synthesized template differs from the deployed one, resource by resource (logical ids).
 *
 * @example
 * const changes: StackChanges = { exists: true, added: ['AlarmsTopic'], removed: [], modified: ['EtlTriggerF605BEF3'] };
 */
export interface StackChanges {
  exists: boolean;
  added: string[];
  removed: string[];
  modified: string[];
}

/**
 * Compares two CloudFormation templates' resources: added, removed, and modified (type or
 * properties differ). `current` undefined means the stack does not exist yet.
 *
 * @example
 * diffTemplates(deployed, synthesized).modified; // ['EtlTriggerF605BEF3'] after a new bundle
 */
export function diffTemplates(current: TemplateShape | undefined, next: TemplateShape): StackChanges {
  const before = current?.Resources ?? {};
  const after = next.Resources ?? {};
  const ids = (resources: object) => Object.keys(resources).sort();
  return {
    exists: current !== undefined,
    added: ids(after).filter((id) => !(id in before)),
    removed: ids(before).filter((id) => !(id in after)),
    modified: ids(after).filter(
      (id) =>
        id in before &&
        (before[id]?.Type !== after[id]?.Type ||
          JSON.stringify(before[id]?.Properties ?? {}) !== JSON.stringify(after[id]?.Properties ?? {})),
    ),
  };
}

/**
 * Runs a program and resolves with its exit code (the real one spawns; tests record the call).
 *
 * @example
 * const run: RunCommand = async (command, args) => (spawnSync(command, args, { stdio: 'inherit' }).status ?? 1);
 */
export type RunCommand = (
  command: string,
  args: readonly string[],
  env: Record<string, string>,
) => Promise<number>;

/**
 * Options of {@link deployStack}.
 *
 * @example
 * const options: DeployStackOptions = { stackName: 'StreamPulse', cdkOut: 'cdk.out', template, cdkBin: 'node_modules/aws-cdk/bin/cdk', dryRun: true };
 */
export interface DeployStackOptions {
  stackName: string;
  /** The synthesized cloud assembly folder. */
  cdkOut: string;
  /** The synthesized template (parsed). */
  template: TemplateShape;
  /** Path of the CDK CLI's `cdk` script. */
  cdkBin: string;
  dryRun?: boolean;
  /** Told what would change (one info entry a resource) and what was done. */
  logger: Logger;
}

async function deployedTemplate(
  client: CloudFormationClient,
  stackName: string,
): Promise<TemplateShape | undefined> {
  try {
    const output = await client.send(
      new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }),
    );
    return JSON.parse(output.TemplateBody ?? '{}') as TemplateShape;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/does not exist/.test(message)) return undefined;
    throw new InfraError('aws_error', `reading the template of ${stackName}: ${message}`, { cause: error });
  }
}

/**
 * Deploys the synthesized assembly with `cdk deploy --app <cdkOut>` (assets published, change
 * set executed by the CDK CLI). With `dryRun` it only prints which resources would be added,
 * removed or modified, from the deployed template (GetTemplate).
 *
 * @example
 * await deployStack(new CloudFormationClient({}), spawnRun, { stackName: 'StreamPulse', cdkOut, template, cdkBin, dryRun: true, logger: textLineLogger(console.log) });
 */
export async function deployStack(
  client: CloudFormationClient,
  run: RunCommand,
  options: DeployStackOptions,
): Promise<StackChanges> {
  const changes = diffTemplates(await deployedTemplate(client, options.stackName), options.template);
  const log = (line: string): void => options.logger.info(line);
  if (!changes.exists)
    log(`${options.stackName} is not deployed: would create ${changes.added.length} resources`);
  else if (changes.added.length + changes.removed.length + changes.modified.length === 0) {
    log(`${options.stackName}: no resource changes`);
  } else {
    for (const id of changes.added) log(`  + ${id}`);
    for (const id of changes.removed) log(`  - ${id}`);
    for (const id of changes.modified) log(`  ~ ${id}`);
  }
  if (options.dryRun) {
    log('dry run: nothing changed');
    return changes;
  }
  const code = await run(
    process.execPath,
    [
      options.cdkBin,
      'deploy',
      options.stackName,
      '--app',
      options.cdkOut,
      '--require-approval',
      'never',
      '--no-notices',
    ],
    { CDK_DISABLE_VERSION_CHECK: '1' },
  );
  if (code !== 0) throw new InfraError('aws_error', `cdk deploy exited with status ${code}`);
  return changes;
}
