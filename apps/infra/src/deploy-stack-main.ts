// `npm run deploy -w apps/infra [-- --dry-run] [-c name=value ...]`: synthesizes to cdk.out/ with
// cdk.json's context and the -c flags, prints the resource
// changes against the deployed stack, and (without --dry-run) runs `cdk deploy` on the assembly.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { createApp, STACK_NAME } from './app.js';
import { commandLineContext } from './context-main.js';
import { deployStack, type RunCommand } from './deploy/stack-deploy.js';
import { InfraError } from './errors.js';
import { textLineLogger } from '@streampulse/logging';

const run: RunCommand = (command, args, env) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });

const cdkOut = fileURLToPath(new URL('../cdk.out', import.meta.url));
try {
  const context = commandLineContext(process.argv.slice(2));
  const assembly = createApp({ outdir: cdkOut, context }).app.synth();
  const stack = assembly.getStackByName(STACK_NAME);
  await deployStack(new CloudFormationClient({}), run, {
    stackName: STACK_NAME,
    cdkOut,
    template: JSON.parse(readFileSync(stack.templateFullPath, 'utf8')) as object,
    cdkBin: createRequire(import.meta.url).resolve('aws-cdk/bin/cdk'),
    dryRun: process.argv.includes('--dry-run'),
    logger: textLineLogger((line) => console.log(line)),
  });
} catch (error) {
  if (!(error instanceof InfraError)) throw error;
  console.error(`deploy: ${error.message}`);
  process.exitCode = 1;
}
