import { describe, expect, it } from 'vitest';
import {
  createLogger,
  jsonLineLogger,
  silentLogger,
  textLineLogger,
  withFields,
  type LogEntry,
} from '../src/index.js';

describe('createLogger', () => {
  it('hands every entry to its writer with its level, message and fields', () => {
    const entries: LogEntry[] = [];
    const logger = createLogger((entry) => entries.push(entry));
    logger.debug('d');
    logger.info('i', { key: 'a.csv' });
    logger.warn('w');
    logger.error('e', { code: 'x' });
    expect(entries).toEqual([
      { level: 'DEBUG', message: 'd', fields: {} },
      { level: 'INFO', message: 'i', fields: { key: 'a.csv' } },
      { level: 'WARN', message: 'w', fields: {} },
      { level: 'ERROR', message: 'e', fields: { code: 'x' } },
    ]);
  });

  it('has a silent logger that accepts everything and writes nothing', () => {
    expect(() => silentLogger.error('ignored', { any: 1 })).not.toThrow();
  });
});

describe('withFields', () => {
  it("adds its fields to every entry, an entry's own fields winning", () => {
    const entries: LogEntry[] = [];
    const logger = withFields(
      createLogger((entry) => entries.push(entry)),
      { request_id: 'r1', key: 'base' },
    );
    logger.warn('retrying', { key: 'own', attempt: 2 });
    expect(entries).toEqual([
      { level: 'WARN', message: 'retrying', fields: { request_id: 'r1', key: 'own', attempt: 2 } },
    ]);
  });
});

describe('jsonLineLogger', () => {
  it('writes one flat JSON object per entry: level, message, timestamp, base fields, own fields', () => {
    const lines: string[] = [];
    const logger = jsonLineLogger((line) => lines.push(line), {
      now: () => new Date('2025-03-14T20:30:00Z'),
      fields: { service: 'etl-trigger' },
    });
    logger.info('job run started', { jobRunId: 'jr_1' });
    expect(lines).toEqual([
      '{"level":"INFO","message":"job run started","timestamp":"2025-03-14T20:30:00.000Z","service":"etl-trigger","jobRunId":"jr_1"}',
    ]);
  });

  it('leaves the timestamp out without a clock, and drops entries below its level', () => {
    const lines: string[] = [];
    const logger = jsonLineLogger((line) => lines.push(line), { minLevel: 'INFO' });
    logger.debug('noise');
    logger.info('kept');
    expect(lines).toEqual(['{"level":"INFO","message":"kept"}']);
  });

  it('writes errors and bigints it is given as fields instead of failing', () => {
    const lines: string[] = [];
    jsonLineLogger((line) => lines.push(line)).error('failed', { error: new TypeError('bad'), rows: 10n });
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      level: 'ERROR',
      message: 'failed',
      error: { name: 'TypeError', message: 'bad' },
      rows: '10',
    });
  });
});

describe('textLineLogger', () => {
  it('writes the message for people, warnings and errors marked, debug dropped by default', () => {
    const lines: string[] = [];
    const logger = textLineLogger((line) => lines.push(line));
    logger.debug('noise');
    logger.info('dimensions read', { content: 3 });
    logger.warn('unsupported file skipped');
    logger.error('file failed');
    expect(lines).toEqual(['dimensions read', 'warning: unsupported file skipped', 'error: file failed']);
  });

  it('shows the fields as key=value when asked', () => {
    const lines: string[] = [];
    textLineLogger((line) => lines.push(line), { showFields: true }).info('file loaded', {
      key: 'raw/playback/a.csv',
      rows: 3,
      skipped: undefined,
    });
    expect(lines).toEqual(['file loaded key=raw/playback/a.csv rows=3']);
  });

  it('names what an entry is about in parentheses when it has that field', () => {
    const lines: string[] = [];
    const logger = textLineLogger((line) => lines.push(line), { subjectField: 'key', minLevel: 'WARN' });
    logger.warn('unsupported file skipped', { key: 'raw/playback/notes.txt' });
    logger.warn('file failed');
    expect(lines).toEqual([
      'warning: unsupported file skipped (raw/playback/notes.txt)',
      'warning: file failed',
    ]);
  });
});
