import { describe, expect, it } from 'vitest';
import { redactDatabaseUrl } from '../src/index.js';
import { databaseTarget } from '../src/url.js';

describe('redactDatabaseUrl', () => {
  it('replaces the password and keeps user, host, port and database', () => {
    expect(redactDatabaseUrl('postgres://app:s3cret@db.internal:5432/warehouse')).toBe(
      'postgres://app:***@db.internal:5432/warehouse',
    );
  });

  it('leaves a URL without a password as it is', () => {
    expect(redactDatabaseUrl('postgres://postgres@127.0.0.1:5432/test')).toBe(
      'postgres://postgres@127.0.0.1:5432/test',
    );
    expect(redactDatabaseUrl('postgresql://db/warehouse')).toBe('postgresql://db/warehouse');
  });

  it('hides a password holding a raw @, / or : up to the last @ before the host', () => {
    const redacted = redactDatabaseUrl('postgres://app:p@ss/w:rd@db:5432/warehouse');
    expect(redacted).toBe('postgres://app:***@db:5432/warehouse');
  });

  it('hides password query parameters', () => {
    expect(redactDatabaseUrl('postgres://db/w?user=app&password=s3cret&sslmode=require')).toBe(
      'postgres://db/w?user=app&password=***&sslmode=require',
    );
    expect(redactDatabaseUrl('postgres://db/w?sslpassword=k3y')).toBe('postgres://db/w?sslpassword=***');
  });

  it('hides the password of a URL that does not even parse', () => {
    const redacted = redactDatabaseUrl('postgres://app:s3cret@db:notaport/w');
    expect(redacted).not.toContain('s3cret');
    expect(redacted).toBe('postgres://app:***@db:notaport/w');
  });

  it('keeps an encoded password hidden too', () => {
    expect(redactDatabaseUrl('postgres://app:p%40ss%2Fword@db/w')).toBe('postgres://app:***@db/w');
  });
});

describe('databaseTarget', () => {
  it('reads host, port, database and user, never the password', () => {
    expect(databaseTarget('postgres://app:s3cret@db.internal:6543/warehouse')).toEqual({
      host: 'db.internal',
      port: 6543,
      database: 'warehouse',
      user: 'app',
    });
  });

  it('defaults the port to 5432 and leaves unnamed parts undefined', () => {
    expect(databaseTarget('postgres://db')).toEqual({
      host: 'db',
      port: 5432,
      database: undefined,
      user: undefined,
    });
  });

  it('rejects what is not a PostgreSQL URL', () => {
    expect(databaseTarget('mysql://db/w')).toBeUndefined();
    expect(databaseTarget('not a url')).toBeUndefined();
  });
});
