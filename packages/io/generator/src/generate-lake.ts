import { StreamPulseError } from '@streampulse/errors';
import { isCalendarDay, LAKE_LAYOUT } from '@streampulse/schema';
import { addDays } from './calendar.js';
import { buildCatalog } from './catalog.js';
import { contentMetadataFiles, userProfileFiles, type PlannedFile } from './dimension-files.js';
import { encoderFor, PLAYBACK_FORMATS, type PlaybackFormat } from './encoders.js';
import { CLEAN_LAYOUT, dirtyLayout } from './layout.js';
import { buildPopulation } from './population.js';
import { Random } from './random.js';
import { PlaybackRows, type DirtKind } from './rows.js';
import { daySessions, sessionsPerDay, type Session } from './sessions.js';
import { counted, gzipChunks, localFolderWriter, utf8Chunks, type LakeWriter } from './writer.js';

/**
 * What to generate and where. Every field but the destination has a default.
 *
 * @example
 * const options: GenerateLakeOptions = { outDir: './lake', days: 7, users: 500, dirtyRate: 0.02 };
 */
export interface GenerateLakeOptions {
  /** A local lake folder (created as needed). Give this or `writer`. */
  readonly outDir?: string;
  /** Where to write instead of `outDir`, e.g. an S3 lake. */
  readonly writer?: LakeWriter;
  /** Number of days, starting at `startDate` (default 30). */
  readonly days?: number;
  /** Number of users with a profile (default 3000). */
  readonly users?: number;
  /** Average sessions per day (default 2 per user); weekends get more, weekdays fewer. */
  readonly sessionsPerDay?: number;
  /** Total sessions over all days; overrides `sessionsPerDay`. */
  readonly sessions?: number;
  /** Seed of every random draw: the same options write the same bytes (default 42). */
  readonly seed?: number;
  /** First day, `YYYY-MM-DD`, a calendar day in Asia/Kolkata (default 2025-03-01). */
  readonly startDate?: string;
  /** Share of playback rows that get dirt, 0..1 (default 0: clean files only). */
  readonly dirtyRate?: number;
  /** Playback formats, rotated over the files (default csv, csv.gz, jsonl). */
  readonly formats?: readonly PlaybackFormat[];
  /** Titles in the catalog (default 400). */
  readonly titles?: number;
  /** Most sessions in one playback file; a day with more is split into parts (default 500000). */
  readonly partRows?: number;
  /** Called as sessions are written (about every 4096 sessions, and at each file end). */
  readonly onProgress?: (progress: GenerateProgress) => void;
}

/**
 * How far a run is.
 *
 * @example
 * onProgress: (p: GenerateProgress) => console.error(`${p.day} ${p.sessions}/${p.sessionsTotal}`);
 */
export interface GenerateProgress {
  readonly day: string;
  readonly sessions: number;
  readonly sessionsTotal: number;
  readonly files: number;
  readonly bytes: number;
}

/**
 * One written file.
 *
 * @example
 * const file: GeneratedFile = { key: 'raw/playback/dt=2025-03-01/part-0000.csv', rows: 6012, bytes: 612_340 };
 */
export interface GeneratedFile {
  readonly key: string;
  /** Records in the file (rows of playback, including dirty and duplicate ones). */
  readonly rows: number;
  readonly bytes: number;
}

/**
 * What a run wrote.
 *
 * @example
 * const { files, sessions, bytes } = await generateLake({ outDir: './lake' });
 */
export interface GenerateSummary {
  readonly files: GeneratedFile[];
  /** Distinct sessions generated. */
  readonly sessions: number;
  /** Playback rows written: sessions plus resent duplicates. */
  readonly playbackRows: number;
  /** Playback rows that got dirt, and how many of each kind. */
  readonly dirtyRows: number;
  readonly dirtByKind: Partial<Record<DirtKind, number>>;
  readonly bytes: number;
  readonly users: number;
  readonly titles: number;
  readonly firstDay: string;
  readonly lastDay: string;
}

/**
 * Options that cannot be generated from; the message names the option.
 *
 * @example
 * await generateLake({ outDir: './lake', days: 0 }); // throws GenerateOptionsError('days must be an integer >= 1, got 0')
 */
export class GenerateOptionsError extends StreamPulseError<'invalid_option'> {
  override readonly name = 'GenerateOptionsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_option', message, options);
  }
}

const DEFAULT_FORMATS: readonly PlaybackFormat[] = ['csv', 'csv.gz', 'jsonl'];

function positiveInteger(name: string, value: number, min = 1): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new GenerateOptionsError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

function resolve(options: GenerateLakeOptions) {
  const writer =
    options.writer ?? (options.outDir !== undefined ? localFolderWriter(options.outDir) : undefined);
  if (!writer) throw new GenerateOptionsError('give outDir (a local lake folder) or a writer');
  const days = positiveInteger('days', options.days ?? 30);
  const users = positiveInteger('users', options.users ?? 3000);
  const total =
    options.sessions !== undefined
      ? positiveInteger('sessions', options.sessions, 0)
      : positiveInteger('sessionsPerDay', options.sessionsPerDay ?? users * 2, 0) * days;
  const startDate = options.startDate ?? '2025-03-01';
  if (!isCalendarDay(startDate)) {
    throw new GenerateOptionsError(
      `startDate must be a date as YYYY-MM-DD, got ${JSON.stringify(startDate)}`,
    );
  }
  const dirtyRate = options.dirtyRate ?? 0;
  if (!(dirtyRate >= 0 && dirtyRate <= 1)) {
    throw new GenerateOptionsError(`dirtyRate must be between 0 and 1, got ${dirtyRate}`);
  }
  const formats = options.formats ?? DEFAULT_FORMATS;
  const unknown = formats.filter((f) => !(PLAYBACK_FORMATS as readonly string[]).includes(f));
  if (formats.length === 0 || unknown.length > 0) {
    throw new GenerateOptionsError(
      `formats must be some of ${PLAYBACK_FORMATS.join(', ')}${unknown.length ? `, got ${unknown.join(', ')}` : ''}`,
    );
  }
  return {
    writer,
    days,
    users,
    total,
    startDate,
    dirtyRate,
    formats,
    seed: options.seed ?? 42,
    titles: positiveInteger('titles', options.titles ?? 400, 4),
    partRows: positiveInteger('partRows', options.partRows ?? 500_000),
  };
}

/**
 * Writes a synthetic lake: user profiles (CSV and JSON parts), content metadata (a CSV catalog
 * and a later gzipped JSON Lines update renaming a few titles) and daily playback files under
 * `raw/playback/dt=YYYY-MM-DD/`, rotating formats. Sessions peak in the Asia/Kolkata evening,
 * cluster on a few titles, last log-normally long (some past midnight) and are deterministic
 * by seed. `dirtyRate` adds every dirt the contract cleans or rejects. Files are written as
 * streams, one at a time, so memory does not grow with the session count.
 *
 * @example
 * const summary = await generateLake({ outDir: './lake', days: 7, users: 500, seed: 7, dirtyRate: 0.02 });
 * summary.files.length; // 4 dimension files + 7 playback files
 */
export async function generateLake(options: GenerateLakeOptions): Promise<GenerateSummary> {
  const o = resolve(options);
  const root = new Random(o.seed);
  const population = buildPopulation(o.users, root.fork('users'));
  const catalog = buildCatalog(o.titles, root.fork('catalog'));
  const sessionRandom = root.fork('sessions');
  const layoutRandom = root.fork('layout');
  const rows = new PlaybackRows(population, catalog, o.dirtyRate, root.fork('dirt'));

  const files: GeneratedFile[] = [];
  let bytes = 0;
  let sessionsDone = 0;
  const days = Array.from({ length: o.days }, (_, i) => addDays(o.startDate, i));
  let day = days[0] as string;
  const report = () =>
    options.onProgress?.({ day, sessions: sessionsDone, sessionsTotal: o.total, files: files.length, bytes });

  async function write(file: PlannedFile): Promise<void> {
    const counter = { bytes: 0 };
    const text = utf8Chunks(file.pieces());
    await o.writer.write(file.key, counted(file.gzip ? gzipChunks(text) : text, counter));
    files.push({ key: file.key, rows: file.rows(), bytes: counter.bytes });
    bytes += counter.bytes;
    report();
  }

  const dimensionRandom = root.fork('dimension-dirt');
  for (const file of contentMetadataFiles(catalog, o.dirtyRate, dimensionRandom)) await write(file);
  for (const file of userProfileFiles(population, o.startDate, o.dirtyRate, dimensionRandom))
    await write(file);

  const counts = sessionsPerDay(days, o.total);
  let fileIndex = 0;
  for (const [d, date] of days.entries()) {
    day = date;
    const count = counts[d] as number;
    const sessions = daySessions(date, count, population, catalog, sessionRandom);
    const parts = Math.max(1, Math.ceil(count / o.partRows));
    for (let part = 0; part < parts; part += 1) {
      const format = o.formats[(d + part) % o.formats.length] as PlaybackFormat;
      const encoder = encoderFor(format);
      const layout = o.dirtyRate > 0 ? dirtyLayout(fileIndex, layoutRandom) : CLEAN_LAYOUT;
      const take = Math.min(o.partRows, count - part * o.partRows);
      const last = d === days.length - 1 && part === parts - 1;
      const rowsBefore = rows.counts.rows;
      fileIndex += 1;
      await write({
        key: `${LAKE_LAYOUT.playback}dt=${date}/part-${String(part).padStart(4, '0')}.${format}`,
        gzip: encoder.gzip,
        rows: () => rows.counts.rows - rowsBefore,
        *pieces() {
          yield encoder.head(layout);
          for (let k = 0; k < take; k += 1) {
            const next = sessions.next();
            if (next.done) break;
            for (const row of rows.rows(next.value as Session, encoder.family))
              yield encoder.row(row, layout);
            sessionsDone += 1;
            if ((sessionsDone & 4095) === 0) report();
          }
          if (last) for (const row of rows.flush(encoder.family)) yield encoder.row(row, layout);
          yield encoder.tail(layout);
        },
      });
    }
  }

  return {
    files,
    sessions: sessionsDone,
    playbackRows: rows.counts.rows,
    dirtyRows: rows.counts.dirtyRows,
    dirtByKind: { ...rows.counts.byKind },
    bytes,
    users: o.users,
    titles: o.titles,
    firstDay: days[0] as string,
    lastDay: days[days.length - 1] as string,
  };
}
