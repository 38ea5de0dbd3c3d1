import { LakeError, LocalLake, type Lake } from '@streampulse/lake';
import { pipelineSettingsSchema } from '@streampulse/schema';
import { createTestDatabase, stopTestServer } from '@streampulse/test-servers';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEtlJob, runPlanEtlJob, type EtlJobOptions } from '../src/index.js';

afterAll(stopTestServer);

const header = 'session_id,user_id,content_id,device_type,start_time,end_time';
const row = (id: string) => `${id},U1,C1,Roku,2025-03-10T00:00:00Z,2025-03-10T00:10:00Z`;

async function lakeWith(files: Record<string, string>): Promise<LocalLake> {
  const root = await mkdtemp(join(tmpdir(), 'streampulse-jobs-hostile-'));
  for (const [key, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, key)), { recursive: true });
    await writeFile(join(root, key), text);
  }
  return new LocalLake(root);
}

// Both engines end a hostile file the same way (the compiled plan with the engine's own words).
const engines = [
  { engine: 'the default engine', run: runEtlJob },
  { engine: 'the compiled plan', run: (options: EtlJobOptions) => runPlanEtlJob({ ...options, env: {} }) },
];

describe.each(engines)('an ETL run on $engine, on hostile files', ({ run }) => {
  it('fails a file whose session id is too big for the primary key index, and loads the next file', async () => {
    const db = await createTestDatabase('jobs_hostile');
    try {
      const bigId = `BIG${randomBytes(64 * 1024).toString('hex')}`;
      const lake = await lakeWith({
        'raw/playback/a-big-id.csv': `${header}\n${row(bigId)}\n`,
        'raw/playback/b-good.csv': `${header}\n${row('GOOD1')}\n`,
        'raw/playback/c-deep.jsonl': '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000) + '\n',
      });
      const report = await run({ lake, pool: db.pool, settings: pipelineSettingsSchema.parse({}) });
      expect(report.files_failed).toEqual(['raw/playback/a-big-id.csv']);
      expect(report.files.find((f) => f.key === 'raw/playback/a-big-id.csv')?.error).toMatch(/index row/);
      expect(report.rejected_by_reason).toEqual({ missing_session_id: 1 });
      const { rows } = await db.pool.query<{ session_id: string }>(
        'SELECT session_id FROM processed.processed_data ORDER BY 1',
      );
      expect(rows.map((r) => r.session_id)).toEqual(['GOOD1']);
    } finally {
      await db.drop();
    }
  });

  it('leaves a file whose quarantine could not be written to the next run, which writes it', async () => {
    const db = await createTestDatabase('jobs_quarantine');
    try {
      const lake = await lakeWith({ 'raw/playback/a.csv': `${header}\n${row('Q1')}\nQ2,,C1,Roku,x,y\n` });
      const full: Lake = Object.assign(Object.create(lake) as Lake, {
        write: async (key: string) => {
          throw new LakeError('io', `cannot write key ${key}: ENOSPC: no space left on device`, { key });
        },
      });
      const settings = pipelineSettingsSchema.parse({});
      await expect(run({ lake: full, pool: db.pool, settings })).rejects.toThrow(/no space left/);
      const rerun = await run({ lake, pool: db.pool, settings });
      expect(rerun.files).toEqual([{ key: 'raw/playback/a.csv', status: 'loaded', rows: 2 }]);
      const chunks: Buffer[] = [];
      for await (const chunk of await lake.read('rejected/playback/a.csv.rejected.jsonl'))
        chunks.push(Buffer.from(chunk));
      const lines = Buffer.concat(chunks).toString().trim().split('\n');
      expect(lines.map((line) => (JSON.parse(line) as { row: number }).row)).toEqual([2]);
    } finally {
      await db.drop();
    }
  });
});
