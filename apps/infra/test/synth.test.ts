import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const apps = fileURLToPath(new URL('../..', import.meta.url));
const cdkOut = join(apps, 'infra', 'cdk.out');
// Synth loads all of aws-cdk-lib in a fresh process: seconds, more on a busy machine.

describe('npm run synth', () => {
  beforeAll(async () => {
    await Promise.all(
      ['etl-trigger', 'aggregate-trigger'].map((app) =>
        run(process.execPath, ['../../tools/scripts/build-lambda.mjs'], { cwd: join(apps, app) }),
      ),
    );
  }, 60_000);

  it('writes the template and one asset per Lambda bundle to cdk.out/ offline, with no CDK CLI', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', 'src/synth-main.ts'],
      {
        cwd: join(apps, 'infra'),
        env: { PATH: process.env.PATH, HOME: process.env.HOME, CDK_DISABLE_VERSION_CHECK: '1' },
      },
    );
    expect(stdout).toContain('synthesized StreamPulse');
    const template = JSON.parse(readFileSync(join(cdkOut, 'StreamPulse.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: unknown } } }>;
    };
    const keys = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Code?.S3Key)
      .map((r) => String(r.Properties.Code?.S3Key));
    expect(keys).toHaveLength(2);
    const assets = JSON.parse(readFileSync(join(cdkOut, 'StreamPulse.assets.json'), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging: string } }>;
    };
    const bundles = Object.values(assets.files).filter((f) => f.source.packaging === 'zip');
    expect(bundles).toHaveLength(2);
    for (const bundle of bundles) {
      expect(readdirSync(join(cdkOut, bundle.source.path))).toEqual(['index.mjs']);
      expect(keys).toContain(`${bundle.source.path.replace(/^asset\./, '')}.zip`);
    }
  }, 60_000);
});
