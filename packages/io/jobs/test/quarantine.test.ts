import { describe, expect, it } from 'vitest';
import { quarantineLine } from '../src/quarantine.js';

describe('quarantineLine', () => {
  it('writes a record nested 100,000 deep, which JSON.stringify cannot, as the same JSON', () => {
    const depth = 100_000;
    const text = '{"a":'.repeat(depth) + '[1,null,"x"]' + '}'.repeat(depth);
    const raw: unknown = JSON.parse(text);
    const line = quarantineLine({
      source: 'raw/playback/deep.jsonl',
      row: 1,
      reason: 'missing_session_id',
      raw,
    });
    expect(line).toBe(
      `{"source":"raw/playback/deep.jsonl","row":1,"reason":"missing_session_id","record":${text}}`,
    );
  });

  it('writes a shallow record exactly as JSON.stringify does', () => {
    const raw = { session_id: 'S1', nested: [1, undefined, { b: undefined, c: 'd' }] };
    expect(quarantineLine({ source: 's', row: 2, reason: 'missing_user_id', raw })).toBe(
      JSON.stringify({ source: 's', row: 2, reason: 'missing_user_id', record: raw }),
    );
  });
});
