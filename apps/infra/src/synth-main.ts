// `npm run synth -w apps/infra`: writes the CloudFormation template and assets to cdk.out/ with
// no network, no Docker and no CDK CLI. The Lambda bundles must be built first.
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { InfraError } from './errors.js';

const outdir = fileURLToPath(new URL('../cdk.out', import.meta.url));
try {
  const assembly = createApp({ outdir }).app.synth();
  for (const stack of assembly.stacks)
    console.log(`synthesized ${stack.stackName} -> ${stack.templateFullPath}`);
} catch (error) {
  if (!(error instanceof InfraError)) throw error;
  console.error(`synth: ${error.message}`);
  process.exitCode = 1;
}
