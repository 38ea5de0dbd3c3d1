import { openLake } from '@streampulse/lake';
import {
  generateLake,
  GenerateOptionsError,
  PLAYBACK_FORMATS,
  type GenerateSummary,
  type PlaybackFormat,
} from '@streampulse/generator';
import { parseCommandArgs, parseDay, requireOption } from '../args.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { ProgressLine } from '../progress.js';

export const generateHelp = `Usage: streampulse generate --lake <dir|s3://bucket[/prefix]> [options]

Writes a synthetic lake to try the pipeline on: user profiles, content metadata (with a later
update renaming a few titles) and daily playback files under raw/playback/dt=YYYY-MM-DD/.
Viewing peaks in the Asia/Kolkata evening, a few titles take most of the watch time, and some
sessions run past midnight. The same options and seed write the same bytes.

Options:
  --lake <root>            where to write: a folder (created if missing) or s3://bucket[/prefix]
                           (required)
  --days <n>               days of playback (default 30)
  --users <n>              users with a profile (default 3000)
  --sessions-per-day <n>   average sessions a day (default 2 per user; weekends get more)
  --sessions <n>           total sessions over all days (instead of --sessions-per-day)
  --seed <n>               seed of every random draw (default 42)
  --start <YYYY-MM-DD>     first day (default 2025-03-01)
  --dirty-rate <0..1>      share of playback rows made dirty: every timestamp form, header and
                           device alias, missing values, duplicates, orphans and each rejection
                           reason (default 0.02; 0 writes clean files only)
  --formats <list>         playback formats, rotated over the files, comma-separated, from
                           ${PLAYBACK_FORMATS.join(', ')} (default csv,csv.gz,jsonl)
  --titles <n>             titles in the catalog (default 400)
  --force                  write even when the lake already holds raw/ files (same keys are
                           replaced, others stay)
  --json                   print exactly one JSON summary object on stdout
  -h, --help               show this help

Exit status: 0 the lake was written; 1 it could not be (bad options, unwritable lake).
`;

function integer(
  name: string,
  value: string | undefined,
  fallback: number | undefined,
  min: number,
): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} must be a whole number >= ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function dirtyRate(value: string | undefined): number {
  if (value === undefined) return 0.02;
  const rate = Number(value);
  if (value.trim() === '' || !(rate >= 0 && rate <= 1)) {
    throw new UsageError(`--dirty-rate must be a number from 0 to 1, got ${JSON.stringify(value)}`);
  }
  return rate;
}

function formats(value: string | undefined): PlaybackFormat[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((f) => f.trim().toLowerCase());
  const unknown = list.filter((f) => !(PLAYBACK_FORMATS as readonly string[]).includes(f));
  if (list.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--formats takes some of ${PLAYBACK_FORMATS.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return list as PlaybackFormat[];
}

const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

function summaryText(lake: string, summary: GenerateSummary, seconds: number): string {
  const playback = summary.files.filter((f) => f.key.startsWith('raw/playback/')).length;
  const days =
    summary.firstDay === summary.lastDay ? summary.firstDay : `${summary.firstDay}..${summary.lastDay}`;
  const lines = [
    `files: ${summary.files.length} (${playback} playback, ${summary.files.length - playback} metadata and profiles), ${megabytes(summary.bytes)} in ${lake}`,
    `sessions: ${summary.sessions} on ${days}, ${summary.users} users, ${summary.titles} titles`,
    `playback rows: ${summary.playbackRows}, ${summary.dirtyRows} dirty`,
  ];
  const kinds = Object.entries(summary.dirtByKind);
  if (kinds.length) lines.push(`dirt: ${kinds.map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  lines.push(
    `done in ${seconds.toFixed(1)} s (${Math.round(summary.sessions / Math.max(seconds, 0.001))} sessions/s)`,
  );
  lines.push(`next: streampulse etl --lake ${lake}`);
  return lines.join('\n') + '\n';
}

/** `streampulse generate`: parses, writes a synthetic lake, prints a summary (files, sessions, bytes). */
export async function generateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('generate', args, {
    lake: { type: 'string' },
    days: { type: 'string' },
    users: { type: 'string' },
    'sessions-per-day': { type: 'string' },
    sessions: { type: 'string' },
    seed: { type: 'string' },
    start: { type: 'string' },
    'dirty-rate': { type: 'string' },
    formats: { type: 'string' },
    titles: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(generateHelp);
    return EXIT.ok;
  }
  const root = requireOption('generate', 'lake', values.lake);
  if (values.sessions !== undefined && values['sessions-per-day'] !== undefined) {
    throw new UsageError(
      'give --sessions or --sessions-per-day, not both (see: streampulse generate --help)',
    );
  }
  const options = {
    days: integer('days', values.days, 30, 1),
    users: integer('users', values.users, 3000, 1),
    sessionsPerDay: integer('sessions-per-day', values['sessions-per-day'], undefined, 0),
    sessions: integer('sessions', values.sessions, undefined, 0),
    seed: integer('seed', values.seed, 42, 0),
    startDate: values.start === undefined ? undefined : parseDay('--start', values.start),
    dirtyRate: dirtyRate(values['dirty-rate']),
    formats: formats(values.formats),
    titles: integer('titles', values.titles, undefined, 4),
  };

  const lake = openLake(root, { env: io.env, createIfMissing: true });
  if (!values.force) {
    for await (const object of lake.list('raw/')) {
      throw new UsageError(
        `${lake.root} already holds raw/ files (${object.key}, ...); pass --force to write over them, or pick an empty --lake`,
      );
    }
  }
  const progress = new ProgressLine(io.stderr);
  const started = performance.now();
  let summary: GenerateSummary;
  try {
    summary = await generateLake({
      writer: lake,
      ...options,
      onProgress: (p) =>
        progress.update(
          (s) =>
            `day ${p.day}  ${p.sessions}/${p.sessionsTotal} sessions  ${megabytes(p.bytes)}  ${Math.round(p.sessions / Math.max(s, 0.001))} sessions/s`,
        ),
    });
  } catch (error) {
    if (error instanceof GenerateOptionsError) throw new UsageError(error.message);
    throw error;
  } finally {
    progress.done();
  }
  const seconds = (performance.now() - started) / 1000;
  io.stdout.write(
    values.json
      ? JSON.stringify({
          lake: lake.root,
          files: summary.files,
          sessions: summary.sessions,
          playback_rows: summary.playbackRows,
          dirty_rows: summary.dirtyRows,
          dirt_by_kind: summary.dirtByKind,
          bytes: summary.bytes,
          users: summary.users,
          titles: summary.titles,
          first_day: summary.firstDay,
          last_day: summary.lastDay,
          seconds: Math.round(seconds * 1000) / 1000,
        }) + '\n'
      : summaryText(lake.root, summary, seconds),
  );
  return EXIT.ok;
}
