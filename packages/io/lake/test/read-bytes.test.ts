import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLake, readObjectBytes } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'streampulse-read-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readObjectBytes', () => {
  it("returns an object's whole content, bytes as written", async () => {
    const lake = openLake(dir);
    const body = Buffer.concat([Buffer.from('héllo\n'), Buffer.alloc(200_000, 7)]);
    await lake.write('state/a.bin', body);
    expect((await readObjectBytes(lake, 'state/a.bin')).equals(body)).toBe(true);
  });
});
