import { FileDecodeError, decodeFile } from '@streampulse/formats';
import { DUCKDB, SqlPlanError, compileAggregateSql } from '@streampulse/contract-sql';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../src/main.js';
import { UsageError } from '../src/io.js';

async function thrownBy(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

async function decodeAll(bytes: Uint8Array): Promise<void> {
  async function* source(): AsyncIterable<Uint8Array> {
    yield bytes;
  }
  for await (const _batch of decodeFile(source(), { format: 'csv', gzip: true }));
}

describe('describeFailure', () => {
  it('prints a SqlPlanError as one line, without calling it a bug', async () => {
    const error = await thrownBy(() => compileAggregateSql(DUCKDB, { day: '14/03/2025', source: 'x' }));
    expect(error).toBeInstanceOf(SqlPlanError);
    const text = describeFailure('aggregate', error);
    expect(text).toBe('streampulse aggregate: day "14/03/2025" is not a date as YYYY-MM-DD\n');
    expect(text).not.toMatch(/bug/);
  });

  it('prints a FileDecodeError as one line, without calling it a bug', async () => {
    const error = await thrownBy(() => decodeAll(new TextEncoder().encode('not gzip at all')));
    expect(error).toBeInstanceOf(FileDecodeError);
    const text = describeFailure('etl', error);
    expect(text.split('\n')).toEqual([`streampulse etl: ${(error as Error).message}`, '']);
    expect(text).not.toMatch(/bug/);
  });

  it('prints a usage mistake as one line', () => {
    expect(describeFailure('etl', new UsageError('--lake is required'))).toBe(
      'streampulse etl: --lake is required\n',
    );
  });

  it('reports anything else as a bug, with its stack', () => {
    const text = describeFailure('etl', new TypeError('x is undefined'));
    expect(text).toMatch(
      /^streampulse etl: unexpected error \(a bug; please report it\):\nTypeError: x is undefined\n/,
    );
  });
});
