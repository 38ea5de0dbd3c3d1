import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openLake } from '@streampulse/lake';
import { afterEach, describe, expect, it } from 'vitest';
import { dimensionJobFiles, playbackJobFile, RunPlanError } from '../src/index.js';

let lakeDir: string | undefined;
afterEach(() => {
  if (lakeDir) rmSync(lakeDir, { recursive: true, force: true });
});

function lakeOf(files: Record<string, string | Uint8Array>): string {
  lakeDir = mkdtempSync(join(tmpdir(), 'streampulse-glue-plan-'));
  for (const [key, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(lakeDir, key)), { recursive: true });
    writeFileSync(join(lakeDir, key), bytes);
  }
  return lakeDir;
}

describe('dimensionJobFiles', () => {
  it('leaves out a dimension file whose start cannot be read, and names it, so every run still plans', async () => {
    const lake = openLake(
      lakeOf({
        'raw/content_metadata/a.csv': 'content_id,title,genre\nC1,One,Drama\n',
        'raw/content_metadata/b.csv.gz': 'not gzip at all',
        'raw/user_profiles/u.json.gz': gzipSync('[{"user_id": "U1"}]'),
        'raw/user_profiles/notes.txt': 'ignored',
      }),
    );
    const unreadable: string[] = [];
    const files = await dimensionJobFiles({ lake }, (key, error) => {
      expect(error).toBeInstanceOf(RunPlanError);
      unreadable.push(key);
    });
    expect(files).toEqual([
      {
        key: 'raw/content_metadata/a.csv',
        dataset: 'content',
        format: 'csv',
        header: ['content_id', 'title', 'genre'],
      },
      { key: 'raw/user_profiles/u.json.gz', dataset: 'users', format: 'json-array' },
    ]);
    expect(unreadable).toEqual(['raw/content_metadata/b.csv.gz']);
  });
});

describe('playbackJobFile', () => {
  it('refuses a playback key that is no data file', async () => {
    const lake = openLake(lakeOf({ 'raw/playback/notes.txt': 'x' }));
    await expect(playbackJobFile({ lake }, 'raw/playback/notes.txt')).rejects.toMatchObject({
      code: 'not_data_file',
    });
  });
});
