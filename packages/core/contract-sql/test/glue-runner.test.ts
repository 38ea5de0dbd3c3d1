import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEVICE_ALIASES,
  FIELD_ALIASES,
  GENRE_SEPARATORS,
  MISSING_TOKENS,
  TIMESTAMP_FORMS,
} from '@streampulse/transform';
import { describe, expect, it } from 'vitest';

const runnerPath = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../apps/glue-launcher/glue/runner.py',
);
const runner = readFileSync(runnerPath, 'utf8');
const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('the Glue runner', () => {
  it.skipIf(!hasPython)('compiles with python3 -m py_compile', () => {
    const cache = mkdtempSync(join(tmpdir(), 'streampulse-pycache-'));
    try {
      execFileSync('python3', ['-m', 'py_compile', runnerPath], {
        env: { ...process.env, PYTHONPYCACHEPREFIX: cache },
      });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('is short', () => {
    expect(runner.split('\n').length).toBeLessThan(180);
  });

  it('holds no rule of the contract: no device name, field alias, token or timestamp pattern', () => {
    const code = runner.toLowerCase();
    const words = [
      ...Object.values(DEVICE_ALIASES).flat(),
      ...Object.keys(DEVICE_ALIASES),
      ...Object.values(FIELD_ALIASES).flat(),
      ...Object.keys(FIELD_ALIASES),
      ...MISSING_TOKENS.filter((t) => t.length > 2),
    ];
    // Whole words only: `pc` inside `spec` is not a device name.
    const found = words.filter((w) =>
      new RegExp(`(^|[^a-z0-9_])${w.replace(/[/\\]/g, '\\$&')}($|[^a-z0-9_])`).test(code),
    );
    expect(found).toEqual([]);
    for (const form of Object.values(TIMESTAMP_FORMS)) expect(runner).not.toContain(form.source);
    for (const fragment of ['\\d{4}', '\\d{2}', 'yyyy', '%Y', 'HH:mm', 'Z|z'])
      expect(runner).not.toContain(fragment);
    expect(runner).not.toMatch(new RegExp(`[${GENRE_SEPARATORS.map((s) => `\\${s}`).join('')}]{4}`));
  });
});
