import { createHash } from 'node:crypto';
import { GetFunctionCommand, UpdateFunctionCodeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { InfraError } from '../errors.js';

/**
 * What {@link deployLambdaCode} did, or would do with `dryRun`.
 *
 * @example
 * const result: LambdaCodeDeployment = { functionName: 'StreamPulse-EtlTrigger', action: 'updated', currentSha256: 'a', newSha256: 'b' };
 */
export interface LambdaCodeDeployment {
  functionName: string;
  action: 'unchanged' | 'would_update' | 'updated';
  /** Lambda's CodeSha256 before (base64 SHA-256 of the deployed zip). */
  currentSha256: string | undefined;
  /** CodeSha256 of the new zip. */
  newSha256: string;
}

/**
 * Options of {@link deployLambdaCode}.
 *
 * @example
 * const options: DeployLambdaCodeOptions = { functionName: 'StreamPulse-EtlTrigger', zip, dryRun: true };
 */
export interface DeployLambdaCodeOptions {
  functionName: string;
  /** The deployment package (see `zipSingleFile`). */
  zip: Uint8Array;
  /** Only compare; change nothing. */
  dryRun?: boolean;
}

async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw new InfraError('aws_error', `${what}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/**
 * Puts a zipped bundle into a function: GetFunction to compare CodeSha256 with the zip's, then
 * UpdateFunctionCode only when they differ (and not with `dryRun`).
 *
 * @example
 * const result = await deployLambdaCode(new LambdaClient({}), { functionName, zip: zipSingleFile('index.mjs', bundle) });
 * console.log(result.action); // 'updated'
 */
export async function deployLambdaCode(
  client: LambdaClient,
  options: DeployLambdaCodeOptions,
): Promise<LambdaCodeDeployment> {
  const { functionName, zip } = options;
  const newSha256 = createHash('sha256').update(zip).digest('base64');
  const current = await call(`reading function ${functionName}`, () =>
    client.send(new GetFunctionCommand({ FunctionName: functionName })),
  );
  const currentSha256 = current.Configuration?.CodeSha256;
  if (currentSha256 === newSha256) return { functionName, action: 'unchanged', currentSha256, newSha256 };
  if (options.dryRun) return { functionName, action: 'would_update', currentSha256, newSha256 };
  const updated = await call(`updating the code of ${functionName}`, () =>
    client.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip, Publish: false })),
  );
  return { functionName, action: 'updated', currentSha256, newSha256: updated.CodeSha256 ?? newSha256 };
}
