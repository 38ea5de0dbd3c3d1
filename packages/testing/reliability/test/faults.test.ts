import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  createTestDatabase,
  startS3,
  stopTestServer,
  type TestDatabase,
  type TestS3,
} from '@streampulse/test-servers';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bySize,
  DIMENSIONS,
  makeLake,
  playbackCsv,
  recordFigure,
  startCommand,
  startOwnedPostgres,
  streampulse,
  STREAMPULSE_BIN,
  type CommandRun,
} from '../src/index.js';

afterAll(stopTestServer);

const bigRows = bySize(60_000, 2_000_000);
const files = () => ({
  'raw/playback/dt=2025-03-10/a-small.csv': playbackCsv('A', 100),
  'raw/playback/dt=2025-03-10/b-big.csv': playbackCsv('B', bigRows),
  'raw/playback/dt=2025-03-10/c-small.csv': playbackCsv('C', 100),
});

/** Per session prefix, how many rows the table holds. */
async function countsByFile(pool: pg.Pool | pg.Client): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ prefix: string; n: number }>(
    `SELECT left(session_id, 1) AS prefix, count(*)::int AS n FROM processed.processed_data GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((row) => [row.prefix, row.n]));
}

/** Whole files only: each file's rows are all there or none. */
function expectWholeFiles(counts: Record<string, number>): void {
  const whole: Record<string, number> = { A: 100, B: bigRows, C: 100 };
  for (const [prefix, n] of Object.entries(counts)) expect([0, whole[prefix]], prefix).toContain(n);
}

async function waitForCopy(client: () => Promise<pg.Client>): Promise<void> {
  for (let attempt = 0; attempt < 1200; attempt += 1) {
    const c = await client();
    try {
      const { rows } = await c.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'COPY %' AND state <> 'idle'`,
      );
      if (rows.length > 0) return;
    } finally {
      await c.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the load never reached COPY');
}

/** The line that says why a run ended badly. */
function lastWord(run: CommandRun): string {
  const failed = run.stdout.split('\n').filter((line) => line.startsWith('failed: '));
  return run.code === 2 ? failed.join(' / ') : (run.stderr.trim().split('\n').at(-1) ?? '');
}

function expectClearEnd(run: CommandRun): void {
  expect([1, 2], run.stderr).toContain(run.code);
  expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
  // Exit 1: the run stopped, and its last line on stderr says why. Exit 2: the summary names
  // each failed file and its reason.
  if (run.code === 1) expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^streampulse etl: \S/);
  else expect(run.stdout).toMatch(/^failed: raw\/playback\/\S+: \S/m);
}

describe('faults', () => {
  it('survives the database crashing mid-load: exit 1 or 2 with one clear line, whole files only, a rerun completes', async () => {
    const server = await startOwnedPostgres('fault-pw');
    const admin = async () => {
      const c = new pg.Client({ connectionString: server.url() });
      c.on('error', () => undefined);
      await c.connect();
      return c;
    };
    try {
      const lake = makeLake(files());
      const url = server.url();
      const started = startCommand(STREAMPULSE_BIN, ['etl', '--lake', lake, '--database-url', url]);
      await waitForCopy(admin);
      await server.crash();
      await server.start();
      const run = await started.done;
      expectClearEnd(run);
      const check = await admin();
      const after = await countsByFile(check).finally(() => check.end());
      expectWholeFiles(after);
      const rerun = await streampulse(['etl', '--lake', lake, '--database-url', url, '--json']);
      expect(rerun.code, rerun.stderr).toBe(0);
      const again = await admin();
      expect(await countsByFile(again).finally(() => again.end())).toEqual({ A: 100, B: bigRows, C: 100 });
      recordFigure(`database crash mid-COPY (${bigRows} rows file)`, {
        seconds: run.seconds,
        rows: Object.values(after).reduce((a, b) => a + b, 0),
        note: `exit ${run.code}: ${lastWord(run)}; rerun exit ${rerun.code} in ${rerun.seconds.toFixed(1)} s`,
      });
    } finally {
      await server.stop();
    }
  });

  it('survives the S3 server going away mid-read: exit 1 or 2 with a clear line, whole files only, a rerun completes', async () => {
    const s3: TestS3 = await startS3();
    const db: TestDatabase = await createTestDatabase('rel_fault_s3');
    // A proxy in front of the S3 server: cutting it drops every connection at once, as a
    // server that dies does (s3rver's own close waits for the reads in flight to finish).
    const sockets = new Set<Socket>();
    let proxy: Server | undefined;
    const upstreamPort = Number(new URL(s3.env.AWS_ENDPOINT_URL_S3 ?? '').port);
    const listen = (port: number) =>
      new Promise<number>((resolve) => {
        proxy = createServer((socket) => {
          const upstream = connect(upstreamPort, '127.0.0.1');
          sockets.add(socket).add(upstream);
          socket.pipe(upstream).pipe(socket);
          const drop = () => {
            socket.destroy();
            upstream.destroy();
          };
          socket.on('error', drop).on('close', drop);
          upstream.on('error', drop).on('close', drop);
        });
        proxy.listen(port, '127.0.0.1', () => {
          const address = proxy?.address();
          resolve(typeof address === 'object' && address ? address.port : 0);
        });
      });
    const cut = () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        proxy?.close(() => resolve());
      });
    try {
      await s3.createBucket('fault');
      for (const [key, body] of Object.entries({ ...DIMENSIONS, ...files() })) {
        await s3.client.send(new PutObjectCommand({ Bucket: 'fault', Key: key, Body: body }));
      }
      const port = await listen(0);
      const env = { ...s3.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`, AWS_MAX_ATTEMPTS: '1' };
      const args = ['etl', '--lake', 's3://fault', '--database-url', db.url];
      const started = startCommand(STREAMPULSE_BIN, args, env);
      await waitForCopy(async () => {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        return c;
      });
      await cut();
      const run = await Promise.race([
        started.done,
        new Promise<never>((_, reject) =>
          setTimeout(() => {
            started.kill('SIGKILL');
            reject(new Error('the run still waits for S3 two minutes after the server went away'));
          }, 120_000),
        ),
      ]);
      expectClearEnd(run);
      const after = await countsByFile(db.pool);
      expectWholeFiles(after);
      await listen(port);
      const rerun = await streampulse([...args, '--json'], env);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await countsByFile(db.pool)).toEqual({ A: 100, B: bigRows, C: 100 });
      recordFigure(`S3 server gone mid-read (${bigRows} rows file)`, {
        seconds: run.seconds,
        rows: Object.values(after).reduce((a, b) => a + b, 0),
        note: `exit ${run.code}: ${lastWord(run)}; rerun exit ${rerun.code}`,
      });
    } finally {
      await cut();
      await db.drop();
      await s3.stop();
    }
  });

  const root = process.getuid?.() === 0;
  if (!root) console.warn('disk-full case skipped: mounting a tmpfs needs root (CI runs as root)');
  it.skipIf(!root)(
    'keeps rejected rows when the quarantine folder is full: the run says so, and a rerun writes them',
    async () => {
      const db = await createTestDatabase('rel_fault_disk');
      const rejected = bySize(5_000, 50_000);
      const lake = makeLake({
        'raw/playback/dt=2025-03-10/a.csv':
          playbackCsv('D', 10) +
          Array.from({ length: rejected }, (_, i) => `R${i},,C1,Roku,x,y`).join('\n') +
          '\n',
      });
      const full = join(lake, 'rejected');
      mkdirSync(full);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full]);
      try {
        const run = await streampulse(['etl', '--lake', lake, '--database-url', db.url]);
        recordFigure(`disk full: ${rejected} rejected rows into a 64 KiB tmpfs`, {
          peakRssMb: run.peakRssMb,
          seconds: run.seconds,
          note: `exit ${run.code}: ${run.stderr.trim().split('\n').at(-1)}`,
        });
        expect([1, 2]).toContain(run.code);
        expect(run.stderr).toMatch(/no space left|ENOSPC/i);
        expect(run.stderr).not.toMatch(/unexpected error/);
        execFileSync('umount', [full]);
        const rerun = await streampulse(['etl', '--lake', lake, '--database-url', db.url]);
        expect(rerun.code, rerun.stderr).toBe(0);
        const lines = readdirSync(full, { recursive: true })
          .map((name) => join(full, String(name)))
          .filter((path) => path.endsWith('.jsonl'))
          .flatMap((path) => readFileSync(path, 'utf8').trim().split('\n'));
        expect(lines).toHaveLength(rejected);
        const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM processed.processed_data`);
        expect(rows[0]).toEqual({ n: 10 });
      } finally {
        try {
          execFileSync('umount', [full], { stdio: 'ignore' });
        } catch {
          // Already unmounted by the test.
        }
        await db.drop();
      }
    },
  );
});
