import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, stopTestServer, type TestDatabase } from '@streampulse/test-servers';
import { connectionError } from '../src/connect.js';
import { connectWarehouse, WarehouseError } from '../src/index.js';

afterAll(stopTestServer);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('connect');
});
afterAll(async () => {
  await db?.drop();
});

/** A port nothing listens on: bound once to learn a free number, then released. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

async function failure(url: string): Promise<WarehouseError> {
  const error: unknown = await connectWarehouse(url).then(
    async (pool) => {
      await pool.end();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WarehouseError);
  return error as WarehouseError;
}

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

describe('connectWarehouse', () => {
  it('returns a working pool for a reachable database', async () => {
    const pool = await connectWarehouse(db.url, { max: 2, applicationName: 'warehouse-test' });
    try {
      const result = await pool.query<{ name: string }>('SELECT current_setting($1) AS name', [
        'application_name',
      ]);
      expect(result.rows[0]?.name).toBe('warehouse-test');
    } finally {
      await pool.end();
    }
  });

  it('reports a closed port as unreachable, naming host:port and not the password', async () => {
    const port = await closedPort();
    const error = await failure(`postgres://app:Sup3rSecret@127.0.0.1:${port}/warehouse`);
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(`cannot reach PostgreSQL at 127.0.0.1:${port} (connection refused)`);
    expect(error.message).not.toContain('Sup3rSecret');
  });

  it('reports an unknown host as unreachable', async () => {
    const error = await failure('postgres://app:Sup3rSecret@no-such-host.invalid:5432/warehouse');
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain('no-such-host.invalid:5432');
    expect(error.message).not.toContain('Sup3rSecret');
  });

  it('reports a missing database as database_missing, naming it', async () => {
    // The server's own password when it has one (embedded), else any: a trust server ignores it.
    const password = new URL(db.missingDatabaseUrl).password || 'Sup3rSecret';
    const error = await failure(withPassword(db.missingDatabaseUrl, password));
    expect(error.code).toBe('database_missing');
    const name = new URL(db.missingDatabaseUrl).pathname.slice(1);
    expect(error.message).toMatch(new RegExp(`^database "${name}" does not exist on PostgreSQL at .+:\\d+$`));
    expect(error.message).not.toContain(password);
  });

  it('reports an unknown role as auth_failed without the password', async () => {
    const url = new URL(db.url);
    url.username = 'no_such_role_xyz';
    url.password = 'Sup3rSecret';
    const error = await failure(url.toString());
    expect(error.code).toBe('auth_failed');
    expect(error.message).not.toContain('Sup3rSecret');
  });

  it('reports a malformed or foreign URL as bad_url without the password', async () => {
    const malformed = await failure('postgres://app:Sup3rSecret@db:notaport/w');
    expect(malformed.code).toBe('bad_url');
    expect(malformed.message).toContain('postgres://app:***@db:notaport/w');
    expect(malformed.message).not.toContain('Sup3rSecret');
    const foreign = await failure('mysql://app:Sup3rSecret@db/w');
    expect(foreign.code).toBe('bad_url');
    expect(foreign.message).not.toContain('Sup3rSecret');
  });
});

describe('connectionError', () => {
  it('names sslrootcert when the server certificate does not verify', () => {
    // What node-postgres rejects with when the CA given is not the one of the server's certificate.
    const tls = Object.assign(new Error('unable to verify the first certificate'), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    const error = connectionError(tls, { host: 'db.example', port: 5432, database: 'sp', user: 'sp' });
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(
      'cannot trust PostgreSQL at db.example:5432: its certificate does not verify ' +
        '(unable to verify the first certificate); check that sslrootcert names the CA that signed ' +
        'the server certificate',
    );
  });
});

describe('a pool whose server goes away', () => {
  it('does not crash the process when the backend of a checked-out client is killed', async () => {
    const pool = await connectWarehouse(db.url);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await client.query('BEGIN');
      await db.newPool().query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
      // No listener of the test's own: the server's goodbye reaches the client within
      // milliseconds on loopback, and would be an uncaught 'error' event without the pool's.
      await new Promise((resolve) => setTimeout(resolve, 500));
      client.release(true);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await pool.end();
    }
  });
});
