import { describe, expect, it } from 'vitest';
import { CANONICAL_FIELDS, canonicalFieldOf, FieldMapper, foldFieldName } from '../src/fields.js';

describe('field names', () => {
  it('folds names to lower-case letters and digits', () => {
    expect(foldFieldName('Session ID')).toBe('sessionid');
    expect(foldFieldName('session_id')).toBe('sessionid');
    expect(foldFieldName('sessionId')).toBe('sessionid');
  });

  it('maps every accepted alias to its canonical field', () => {
    expect(canonicalFieldOf('Playback ID')).toBe('session_id');
    expect(canonicalFieldOf('customer_id')).toBe('user_id');
    expect(canonicalFieldOf('Asset ID')).toBe('content_id');
    expect(canonicalFieldOf('Platform')).toBe('device_type');
    expect(canonicalFieldOf('Started At')).toBe('start_time');
    expect(canonicalFieldOf('session_end')).toBe('end_time');
    expect(canonicalFieldOf('Content Title')).toBe('title');
    expect(canonicalFieldOf('category')).toBe('genre');
    expect(canonicalFieldOf('geo_region')).toBe('region');
  });

  it('ignores other columns', () => {
    expect(canonicalFieldOf('release_year')).toBeUndefined();
    expect(canonicalFieldOf('extra')).toBeUndefined();
  });

  it('lets the first column by position win, even when its value is missing', () => {
    const mapper = new FieldMapper();
    expect(mapper.map(['session_id', 'start', 'start_time'], ['P1', '', '2025-03-10T10:00:00Z'])).toEqual({
      session_id: 'P1',
      start_time: '',
    });
  });

  it('maps a new set of names afresh (JSON records differ in their keys)', () => {
    const mapper = new FieldMapper();
    expect(mapper.map(['userId', 'region'], ['7', 'north'])).toEqual({ user_id: '7', region: 'north' });
    expect(mapper.map(['region', 'customer_id'], ['south', '8'])).toEqual({ region: 'south', user_id: '8' });
  });

  it('maps records with equal names in separate arrays alike, and a changed name afresh', () => {
    const mapper = new FieldMapper();
    expect(mapper.map(['userId', 'region'], ['7', 'north'])).toEqual({ user_id: '7', region: 'north' });
    expect(mapper.map(['userId', 'region'], ['8', 'south'])).toEqual({ user_id: '8', region: 'south' });
    expect(mapper.map(['userId', 'geo_region'], ['9', 'east'])).toEqual({ user_id: '9', region: 'east' });
    expect(mapper.map(['userId'], ['10'])).toEqual({ user_id: '10' });
    expect(mapper.map(['userId', 'plan'], ['11', 'gold'])).toEqual({ user_id: '11' });
  });

  it('gives every record every canonical field, undefined where no column maps to it', () => {
    const mapper = new FieldMapper();
    const all = mapper.map(
      [...CANONICAL_FIELDS],
      CANONICAL_FIELDS.map((_, i) => i),
    );
    expect(Object.entries(all)).toEqual(CANONICAL_FIELDS.map((field, i) => [field, i]));
    const some = mapper.map(['region', 'extra'], ['north', 'x']);
    expect(Object.keys(some)).toEqual([...CANONICAL_FIELDS]);
    expect(some.region).toBe('north');
    expect(some.session_id).toBeUndefined();
  });

  it('keeps exact duplicate names as the first one', () => {
    const mapper = new FieldMapper();
    expect(mapper.map(['user_id', 'user_id'], ['a', 'b'])).toEqual({ user_id: 'a' });
  });
});
