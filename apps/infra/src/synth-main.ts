// `npm run synth -w apps/infra [-- -c name=value ...]`: writes the CloudFormation template and
// assets to cdk.out/ with no network, no Docker and no CDK CLI; the settings are cdk.json's context
// and the -c flags. The Lambda bundles must be built first. Also cdk.json's `app`, so the CDK CLI
// (`npx cdk diff`) runs the same app; the CLI then names the output folder.
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { commandLineContext } from './context-main.js';
import { InfraError } from './errors.js';

const outdir = process.env.CDK_OUTDIR ?? fileURLToPath(new URL('../cdk.out', import.meta.url));
try {
  const assembly = createApp({ outdir, context: commandLineContext(process.argv.slice(2)) }).app.synth();
  for (const stack of assembly.stacks)
    console.log(`synthesized ${stack.stackName} -> ${stack.templateFullPath}`);
} catch (error) {
  if (!(error instanceof InfraError)) throw error;
  console.error(`synth: ${error.message}`);
  process.exitCode = 1;
}
