import { classifyKey, decodeFile } from '@streampulse/formats';
import { lakeFiles } from '@streampulse/golden';
import { LAKE_LAYOUT, REJECTION_REASONS, type ProcessedRow } from '@streampulse/schema';
import {
  canonicalFieldOf,
  FIELD_ALIASES,
  foldFieldName,
  runPipeline,
  TIMESTAMP_FORMS,
  type CanonicalField,
  type PipelineResult,
} from '@streampulse/transform';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateLake,
  GenerateOptionsError,
  PLAYBACK_FORMATS,
  TRICKY_TITLES,
  type GenerateLakeOptions,
  type GenerateSummary,
} from '../src/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'streampulse-generate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let lakes = 0;

async function generate(
  options: Omit<GenerateLakeOptions, 'outDir'>,
): Promise<{ dir: string; summary: GenerateSummary }> {
  const dir = join(scratch, `lake-${(lakes += 1)}`);
  return { dir, summary: await generateLake({ ...options, outDir: dir }) };
}

function pipeline(dir: string): Promise<PipelineResult> {
  return runPipeline({
    playback: lakeFiles(dir, LAKE_LAYOUT.playback),
    contentMetadata: lakeFiles(dir, LAKE_LAYOUT.contentMetadata),
    userProfiles: lakeFiles(dir, LAKE_LAYOUT.userProfiles),
  });
}

/** A hash of every file's key and bytes, in key order. */
function lakeHash(dir: string): string {
  const hash = createHash('sha256');
  for (const prefix of Object.values(LAKE_LAYOUT)) {
    for (const file of lakeFiles(dir, prefix)) {
      hash
        .update(file.key)
        .update('\0')
        .update(readFileSync(join(dir, file.key)))
        .update('\0');
    }
  }
  return hash.digest('hex');
}

/** Every decoded playback record's (name, value) fields, file by file. */
async function playbackFields(
  dir: string,
): Promise<{ key: string; fields: (readonly [string, unknown])[] }[]> {
  const out: { key: string; fields: (readonly [string, unknown])[] }[] = [];
  for (const file of lakeFiles(dir, LAKE_LAYOUT.playback)) {
    const kind = classifyKey(file.key, LAKE_LAYOUT.playback);
    if (kind.kind !== 'data') throw new Error(`not a data file: ${file.key}`);
    for await (const batch of decodeFile(file.open(), kind.type)) {
      for (const record of batch) if (record.ok) out.push({ key: file.key, fields: [...record.fields] });
    }
  }
  return out;
}

/** A record's canonical fields: the first column of each field wins, as the contract says. */
function canonical(
  fields: readonly (readonly [string, unknown])[],
): Partial<Record<CanonicalField, unknown>> {
  const record: Partial<Record<CanonicalField, unknown>> = {};
  for (const [name, value] of fields) {
    const field = canonicalFieldOf(name);
    if (field && !(field in record)) record[field] = value;
  }
  return record;
}

const IST_MS = 5.5 * 3_600_000;
const istHour = (ms: number): number => new Date(ms + IST_MS).getUTCHours();
const istDate = (ms: number): string => new Date(ms + IST_MS).toISOString().slice(0, 10);

describe('generateLake', () => {
  it('writes the same bytes for the same seed, and other bytes for another seed', async () => {
    const options = {
      days: 3,
      users: 200,
      sessionsPerDay: 400,
      dirtyRate: 0.05,
      formats: [...PLAYBACK_FORMATS],
    };
    const first = await generate({ ...options, seed: 7 });
    const second = await generate({ ...options, seed: 7 });
    const other = await generate({ ...options, seed: 8 });
    expect(lakeHash(first.dir)).toBe(lakeHash(second.dir));
    expect(first.summary).toEqual(second.summary);
    expect(lakeHash(other.dir)).not.toBe(lakeHash(first.dir));
  });

  it('rejects options it cannot generate from, naming the option', async () => {
    const dir = join(scratch, 'never-written');
    await expect(generateLake({ outDir: dir, days: 0 })).rejects.toThrow(/days/);
    await expect(generateLake({ outDir: dir, dirtyRate: 1.5 })).rejects.toThrow(GenerateOptionsError);
    await expect(generateLake({ outDir: dir, startDate: '2025-02-30' })).rejects.toThrow(/startDate/);
    await expect(generateLake({ outDir: dir, formats: ['xml' as 'csv'] })).rejects.toThrow(/xml/);
    await expect(generateLake({})).rejects.toThrow(/outDir/);
  });

  it('splits a day with more sessions than partRows into several files', async () => {
    const { summary } = await generate({ days: 1, users: 50, sessions: 250, partRows: 100 });
    const playback = summary.files.filter((f) => f.key.startsWith(LAKE_LAYOUT.playback));
    expect(playback.map((f) => f.key)).toEqual([
      'raw/playback/dt=2025-03-01/part-0000.csv',
      'raw/playback/dt=2025-03-01/part-0001.csv.gz',
      'raw/playback/dt=2025-03-01/part-0002.jsonl',
    ]);
    expect(playback.map((f) => f.rows)).toEqual([100, 100, 50]);
  });
});

describe('a clean lake (dirtyRate 0)', () => {
  let lake: { dir: string; summary: GenerateSummary };
  let result: PipelineResult;
  beforeAll(async () => {
    lake = await generate({ days: 4, users: 400, sessionsPerDay: 1500, seed: 11, startDate: '2025-03-06' });
    result = await pipeline(lake.dir);
  });

  it('loads every session: nothing rejected, failed, duplicated or orphaned', () => {
    expect(result.report).toMatchObject({
      rows_read: 6000,
      rows_rejected: 0,
      files_failed: [],
      files_skipped: [],
      duplicates: 0,
      orphan_content: 0,
      orphan_user: 0,
    });
    expect(result.rows).toHaveLength(lake.summary.sessions);
    expect(lake.summary.dirtyRows).toBe(0);
  });

  it('rotates the playback files over CSV, gzip CSV and JSON Lines under dt= folders', () => {
    expect(lake.summary.files.map((f) => f.key)).toEqual([
      'raw/content_metadata/catalog-0001.csv',
      'raw/content_metadata/catalog-0002-updates.jsonl.gz',
      'raw/user_profiles/users-0001.csv',
      'raw/user_profiles/users-0002.json',
      'raw/playback/dt=2025-03-06/part-0000.csv',
      'raw/playback/dt=2025-03-07/part-0000.csv.gz',
      'raw/playback/dt=2025-03-08/part-0000.jsonl',
      'raw/playback/dt=2025-03-09/part-0000.csv',
    ]);
  });

  it('gives weekends more sessions than weekdays', () => {
    const perDay = new Map<string, number>();
    for (const row of result.rows) perDay.set(row.event_date, (perDay.get(row.event_date) ?? 0) + 1);
    // 2025-03-06 is a Thursday, 03-08 a Saturday.
    expect(perDay.get('2025-03-08')).toBeGreaterThan(perDay.get('2025-03-06') as number);
  });

  it('peaks in the Asia/Kolkata evening', () => {
    const evening = result.rows.filter(
      (r) => istHour(r.start_time) >= 19 && istHour(r.start_time) < 23,
    ).length;
    const early = result.rows.filter((r) => istHour(r.start_time) >= 3 && istHour(r.start_time) < 7).length;
    expect(evening).toBeGreaterThan(5 * early);
    expect(early).toBeGreaterThan(0);
  });

  it('has sessions that cross midnight and count on the day they started', () => {
    const crossing = result.rows.filter((r) => istDate(r.end_time) !== r.event_date);
    expect(crossing.length).toBeGreaterThan(0);
    for (const row of crossing) expect(row.event_date).toBe(istDate(row.start_time));
  });

  it('has long-tailed session lengths of at most four hours', () => {
    const minutes = result.rows.map((r) => r.duration_min).sort((a, b) => a - b);
    const median = minutes[Math.floor(minutes.length / 2)] as number;
    expect(minutes[0]).toBeGreaterThanOrEqual(1.5);
    expect(minutes[minutes.length - 1]).toBeLessThanOrEqual(240);
    expect(median).toBeGreaterThan(10);
    expect(median).toBeLessThan(60);
    // Long tail: the mean sits well above the median, and some sessions last over two hours.
    expect(minutes.reduce((a, b) => a + b, 0) / minutes.length).toBeGreaterThan(median * 1.15);
    expect(minutes.filter((m) => m > 120).length).toBeGreaterThan(0);
  });

  it('lets a few titles take most of the watch time', () => {
    const byTitle = new Map<string, number>();
    for (const row of result.rows)
      byTitle.set(row.content_id, (byTitle.get(row.content_id) ?? 0) + row.duration_min);
    const totals = [...byTitle.values()].sort((a, b) => b - a);
    const all = totals.reduce((a, b) => a + b, 0);
    const top10 = totals.slice(0, 10).reduce((a, b) => a + b, 0);
    expect(top10 / all).toBeGreaterThan(0.4);
    expect(byTitle.size).toBeGreaterThan(100);
  });

  it('watches on every device type of the mix, mobile and TV most', () => {
    const byDevice = new Map<string, number>();
    for (const row of result.rows) byDevice.set(row.device_type, (byDevice.get(row.device_type) ?? 0) + 1);
    expect([...byDevice.keys()].sort()).toEqual(['console', 'mobile', 'tablet', 'tv', 'web']);
    const ranked = [...byDevice.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d);
    expect(ranked.slice(0, 2).sort()).toEqual(['mobile', 'tv']);
  });

  it('joins titles with quotes, ampersands and angle brackets, renamed titles and genre lists', async () => {
    const titles = new Set(result.rows.map((r: ProcessedRow) => r.title));
    for (const title of TRICKY_TITLES) expect(titles).toContain(title);
    // The later update file renames a few titles; the rename wins.
    expect(
      [...titles].some((t) => /Director's Cut|\(Remastered\)|Extended Edition|: Reloaded$/.test(t)),
    ).toBe(true);
    const catalog = readFileSync(join(lake.dir, 'raw/content_metadata/catalog-0001.csv'), 'utf8');
    expect(catalog).toMatch(/"[A-Z][a-z-]+, [A-Z][a-z]+"/);
    expect(new Set(result.rows.map((r) => r.region)).size).toBe(6);
  });
});

describe('a dirty lake (dirtyRate > 0)', () => {
  let lake: { dir: string; summary: GenerateSummary };
  let result: PipelineResult;
  beforeAll(async () => {
    lake = await generate({
      days: 7,
      users: 300,
      sessionsPerDay: 600,
      seed: 5,
      dirtyRate: 0.08,
      formats: [...PLAYBACK_FORMATS],
    });
    result = await pipeline(lake.dir);
  });

  it('reads every file of every format: none fails or is skipped', () => {
    expect(result.report.files_failed).toEqual([]);
    expect(result.report.files_skipped).toEqual([]);
    const extensions = lake.summary.files.map((f) => f.key.replace(/^[^.]*\./, ''));
    for (const format of PLAYBACK_FORMATS) expect(extensions).toContain(format);
  });

  it('breaks every rule of the contract: each rejection reason appears', () => {
    for (const reason of REJECTION_REASONS)
      expect(result.report.rejected_by_reason[reason], reason).toBeGreaterThan(0);
    expect(result.report.rows_rejected).toBe(result.rejections.length);
  });

  it('adds duplicates, some with a later end, and orphans of both kinds', () => {
    expect(result.report.duplicates).toBeGreaterThan(0);
    expect(result.report.orphan_content).toBeGreaterThan(0);
    expect(result.report.orphan_user).toBeGreaterThan(0);
    expect(result.report.rows_read).toBe(lake.summary.playbackRows);
    expect(lake.summary.playbackRows).toBeGreaterThan(lake.summary.sessions);
  });

  it('keeps the dirty share near dirtyRate', () => {
    const share = lake.summary.dirtyRows / lake.summary.sessions;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.11);
  });

  it('writes start and end times in every timestamp form of the contract', async () => {
    const seen = new Set<string>();
    let jsonNumbers = 0;
    for (const { fields } of await playbackFields(lake.dir)) {
      const record = canonical(fields);
      for (const value of [record.start_time, record.end_time]) {
        if (typeof value === 'number') jsonNumbers += 1;
        if (typeof value !== 'string' && typeof value !== 'number') continue;
        for (const [form, pattern] of Object.entries(TIMESTAMP_FORMS)) {
          if (pattern.test(String(value).trim())) seen.add(form);
        }
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(TIMESTAMP_FORMS).sort());
    expect(jsonNumbers).toBeGreaterThan(0);
  });

  it('names columns by every alias of the contract, in several casings', async () => {
    const namesByField = new Map<string, Set<string>>();
    for (const { fields } of await playbackFields(lake.dir)) {
      for (const [name] of fields) {
        const field = canonicalFieldOf(name);
        if (!field) continue;
        const names = namesByField.get(field) ?? new Set();
        namesByField.set(field, names.add(name));
      }
    }
    for (const field of [
      'session_id',
      'user_id',
      'content_id',
      'device_type',
      'start_time',
      'end_time',
    ] as const) {
      const folded = new Set([...(namesByField.get(field) ?? [])].map(foldFieldName));
      expect([...folded].sort(), field).toEqual([...FIELD_ALIASES[field]].sort());
    }
    const all = [...namesByField.values()].flatMap((s) => [...s]);
    expect(
      all.some((n) => / ID$/.test(n)),
      'Title Case, as in "Playback ID"',
    ).toBe(true);
    expect(
      all.some((n) => /^[a-z]+[A-Z]/.test(n)),
      'camelCase, as in "viewerId"',
    ).toBe(true);
    expect(
      all.some((n) => /^[A-Z]+_[A-Z]+$/.test(n)),
      'UPPER_SNAKE',
    ).toBe(true);
  });

  it('writes devices under aliases and odd casings, and missing or unknown ones', async () => {
    const raw = new Set<string>();
    for (const { fields } of await playbackFields(lake.dir)) {
      const device = canonical(fields).device_type;
      raw.add(device === null ? 'null' : device === undefined ? 'absent' : String(device));
    }
    expect(
      [...raw].filter((d) => !['tv', 'mobile', 'tablet', 'web', 'console'].includes(d)).length,
    ).toBeGreaterThan(5);
    const types = new Set(result.rows.map((r) => r.device_type));
    expect(types).toContain('unknown');
    expect(types).toContain('other');
  });
});
