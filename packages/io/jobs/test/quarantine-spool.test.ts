import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLake, readObjectBytes } from '@streampulse/lake';
import { afterAll, describe, expect, it } from 'vitest';
import { writeQuarantine } from '../src/quarantine.js';
import { QuarantineSpool } from '../src/quarantine-spool.js';

const scratch = mkdtempSync(join(tmpdir(), 'streampulse-spool-test-'));
const lakeDir = mkdtempSync(join(tmpdir(), 'streampulse-spool-lake-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(lakeDir, { recursive: true, force: true });
});

async function text(body: string | AsyncIterable<Uint8Array>): Promise<string> {
  if (typeof body === 'string') return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

const line = (i: number) =>
  JSON.stringify({ source: 'raw/playback/a.csv', row: i + 2, reason: 'missing_user_id' });

describe('QuarantineSpool', () => {
  it('keeps a few lines in memory and gives them back as one string', async () => {
    const spool = new QuarantineSpool({ scratchDir: scratch });
    spool.add(line(0));
    spool.add(line(1));
    expect(spool.lines).toBe(2);
    const body = spool.body();
    expect(typeof body).toBe('string');
    expect(await text(body)).toBe(`${line(0)}\n${line(1)}\n`);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('holds no more than its memory budget however many lines come, and streams them all back in order', async () => {
    const spool = new QuarantineSpool({ scratchDir: scratch, memoryBytes: 4096 });
    let most = 0;
    for (let i = 0; i < 20_000; i++) {
      spool.add(line(i));
      most = Math.max(most, spool.bytesInMemory);
    }
    expect(most).toBeLessThan(4096 + 200);
    const body = spool.body();
    expect(typeof body).not.toBe('string');
    const lines = (await text(body)).split('\n');
    expect(lines).toHaveLength(20_001);
    expect(lines[0]).toBe(line(0));
    expect(lines[19_999]).toBe(line(19_999));
    expect(lines[20_000]).toBe('');
    spool.dispose();
  });

  it('removes its scratch file when disposed', () => {
    const spool = new QuarantineSpool({ scratchDir: scratch, memoryBytes: 10 });
    spool.add(line(0));
    expect(readdirSync(scratch)).toHaveLength(1);
    spool.dispose();
    expect(readdirSync(scratch)).toEqual([]);
  });
});

describe('writeQuarantine with a spool', () => {
  it('writes spilled lines to the lake object whole, and clears the object when there are none', async () => {
    const lake = openLake(lakeDir);
    const spool = new QuarantineSpool({ scratchDir: scratch, memoryBytes: 256 });
    for (let i = 0; i < 100; i++) spool.add(line(i));
    await writeQuarantine(lake, 'raw/playback/a.csv', spool);
    spool.dispose();
    const key = 'rejected/playback/a.csv.rejected.jsonl';
    const written = (await readObjectBytes(lake, key)).toString('utf8');
    expect(written).toBe(Array.from({ length: 100 }, (_, i) => `${line(i)}\n`).join(''));

    await writeQuarantine(lake, 'raw/playback/a.csv', new QuarantineSpool({ scratchDir: scratch }));
    expect(existsSync(join(lakeDir, key))).toBe(false);
  });
});
