import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { STACK_NAME } from '../app.js';
import { InfraError } from '../errors.js';
import { deployLambdaCode } from './lambda-code.js';
import { stackOutput } from './stack-outputs.js';
import { zipSingleFile } from './zip.js';

/**
 * What the deploy command touches outside itself; tests pass mocked clients.
 *
 * @example
 * const io: DeployLambdaIo = { env: process.env, stdout: process.stdout, stderr: process.stderr };
 */
export interface DeployLambdaIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  lambda?: LambdaClient;
  cloudFormation?: CloudFormationClient;
}

const OUTPUT_OF: Record<string, string> = {
  'etl-trigger': 'EtlTriggerFunctionName',
  'aggregate-trigger': 'AggregateTriggerFunctionName',
};

const usage = `Usage: streampulse-deploy-lambda --app <etl-trigger|aggregate-trigger> --bundle <dist/index.mjs> [options]

Zips the bundle in memory and puts it into the app's function (UpdateFunctionCode), unless the
function already runs exactly this code. The function name comes from --function-name, else the
${STACK_NAME} stack's output (EtlTriggerFunctionName, AggregateTriggerFunctionName).

Options:
  --function-name <name>   the function to update
  --stack <name>           stack whose outputs name the function (default ${STACK_NAME})
  --dry-run                print what would change; change nothing
  -h, --help               show this help
`;

/**
 * The `streampulse-deploy-lambda` entry point (the `deploy` script of each Lambda app).
 *
 * @example
 * process.exitCode = await deployLambdaMain(['--app', 'etl-trigger', '--bundle', 'dist/index.mjs', '--dry-run'], io);
 */
export async function deployLambdaMain(argv: readonly string[], io: DeployLambdaIo): Promise<number> {
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: {
          app: { type: 'string' },
          bundle: { type: 'string' },
          'function-name': { type: 'string' },
          stack: { type: 'string' },
          'dry-run': { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
      }));
    } catch (error) {
      throw new InfraError('usage', `${error instanceof Error ? error.message : String(error)} (see --help)`);
    }
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const output = values.app ? OUTPUT_OF[values.app] : undefined;
    if (!values.app || !output)
      throw new InfraError('usage', '--app must be etl-trigger or aggregate-trigger (see --help)');
    if (!values.bundle) throw new InfraError('usage', '--bundle is required (see --help)');
    const bundle = await readFile(values.bundle).catch((error: unknown) => {
      throw new InfraError(
        'usage',
        `cannot read bundle ${values.bundle}: run \`npm run build -w apps/${values.app}\``,
        {
          cause: error,
        },
      );
    });
    const functionName =
      values['function-name'] ??
      (await stackOutput(
        io.cloudFormation ?? new CloudFormationClient({}),
        values.stack ?? STACK_NAME,
        output,
      ));
    const result = await deployLambdaCode(io.lambda ?? new LambdaClient({}), {
      functionName,
      zip: zipSingleFile('index.mjs', bundle),
      dryRun: values['dry-run'] ?? false,
    });
    const change = `code ${result.currentSha256 ?? '(none)'} -> ${result.newSha256}`;
    io.stdout.write(
      result.action === 'unchanged'
        ? `${functionName}: unchanged (code ${result.newSha256})\n`
        : result.action === 'would_update'
          ? `${functionName}: would update ${change} (dry run: nothing changed)\n`
          : `${functionName}: updated ${change}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof InfraError)) throw error;
    io.stderr.write(`deploy-lambda: ${error.message}\n`);
    return 1;
  }
}
