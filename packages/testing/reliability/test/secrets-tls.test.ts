import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeLake,
  playbackCsv,
  recordFigure,
  startOwnedPostgres,
  streampulse,
  type CommandRun,
  type OwnedPostgres,
} from '../src/index.js';

// A password no output may hold; URL-safe, so it appears in every URL as it is.
const SENTINEL = 'Sentinel-Pw-7f3a9c1e-do-not-print';

/** A CA and a certificate for 127.0.0.1 it signs, and a second CA that signed nothing. */
function certificates(dir: string): { ca: string; wrongCa: string; cert: string; key: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  for (const name of ['ca', 'wrong-ca']) {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=streampulse test ${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    );
  }
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName = IP:127.0.0.1, DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.crt',
  );
  return {
    ca: join(dir, 'ca.crt'),
    wrongCa: join(dir, 'wrong-ca.crt'),
    cert: readFileSync(join(dir, 'server.crt'), 'utf8'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
  };
}

/** Every file under `dir`, as text. */
function filesUnder(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path, 'latin1') }));
}

let server: OwnedPostgres;
let certs: ReturnType<typeof certificates>;
const runs: { label: string; run: CommandRun }[] = [];
const lakes: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'streampulse-tls-'));
  certs = certificates(dir);
  server = await startOwnedPostgres(SENTINEL, {
    files: { 'server.crt': certs.cert, 'server.key': certs.key },
    config: ['ssl = on', `ssl_cert_file = 'server.crt'`, `ssl_key_file = 'server.key'`],
  });
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE rel');
  await admin.end();
});
afterAll(async () => server?.stop());

async function record(label: string, args: string[], env: Record<string, string> = {}): Promise<CommandRun> {
  const run = await streampulse(args, env);
  runs.push({ label, run });
  return run;
}

describe('TLS to PostgreSQL with a CA the test made', () => {
  it('loads over sslmode=verify-full with the right CA, the connection encrypted', async () => {
    const lake = makeLake({ 'raw/playback/a.csv': playbackCsv('TLS', 20) });
    lakes.push(lake);
    const url = server.url('rel', `sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.ca)}`);
    const run = await record('etl over verify-full', ['etl', '--lake', lake, '--json'], {
      DATABASE_URL: url,
    });
    expect(run.code, run.stderr).toBe(0);
    recordFigure('TLS verify-full, right CA', { peakRssMb: run.peakRssMb, seconds: run.seconds, rows: 20 });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl,
                (SELECT count(*)::int FROM processed.processed_data) AS n`,
      );
      expect(rows[0]).toEqual({ ssl: true, n: 20 });
    } finally {
      await client.end();
    }
  });

  it('refuses the server when the CA is the wrong one, in one clear line', async () => {
    const lake = makeLake({ 'raw/playback/a.csv': playbackCsv('TLSX', 2) });
    lakes.push(lake);
    const url = server.url('rel', `sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.wrongCa)}`);
    const run = await record('etl with the wrong CA', ['etl', '--lake', lake, '--json'], {
      DATABASE_URL: url,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${server.port}.*certificate`));
    expect(run.stderr).toMatch(/sslrootcert/);
    recordFigure('TLS verify-full, wrong CA', { seconds: run.seconds, note: run.stderr.trim() });
  });
});

describe('a sentinel password never appears in any output', () => {
  it('keeps it out of every line, report, quarantine, plan and log of etl, put and failing runs', async () => {
    const url = server.url('rel');
    const lake = makeLake({
      'raw/playback/dt=2025-03-10/a.csv': playbackCsv('SEC', 5) + 'bad,row\n',
      'raw/playback/dt=2025-03-10/broken.csv.gz': 'not gzip',
    });
    lakes.push(lake);
    const file = join(mkdtempSync(join(tmpdir(), 'streampulse-put-')), 'put.csv');
    writeFileSync(file, playbackCsv('PUT', 3));
    await record('etl, text report', ['etl', '--lake', lake], { DATABASE_URL: url });
    await record('etl --json, URL as a flag', [
      'etl',
      '--lake',
      lake,
      '--force',
      '--json',
      '--database-url',
      url,
    ]);
    // The local S3 -> Lambda -> Glue path: the trigger's handler compiles a plan, the plan runs
    // with the warehouse's JDBC settings (--jdbc_password) built from this URL.
    await record('put (trigger handler, plan, JDBC run)', ['put', '--lake', lake, file, '--json'], {
      DATABASE_URL: url,
    });
    await record('aggregate', ['aggregate', '--lake', lake, '--date', '2025-03-10', '--database-url', url]);
    const refused = url.replace(`:${server.port}/`, ':1/');
    await record('etl, unreachable port', ['etl', '--lake', lake], { DATABASE_URL: refused });
    await record('etl, wrong database', ['etl', '--lake', lake, '--database-url', server.url('missing')]);
    await record('etl, password in a query parameter', ['etl', '--lake', lake], {
      DATABASE_URL: `postgres://postgres@127.0.0.1:1/rel?password=${SENTINEL}`,
    });
    const put = runs.find((r) => r.label.startsWith('put'))?.run;
    expect(put?.code, put?.stderr).toBe(0);
    const artifacts = [
      ...runs.flatMap(({ label, run }) => [
        { path: `${label}: stdout`, text: run.stdout },
        { path: `${label}: stderr`, text: run.stderr },
      ]),
      ...lakes.flatMap(filesUnder),
    ];
    const plans = artifacts.filter((a) => a.path.includes('scripts/glue/runs'));
    expect(plans.length).toBeGreaterThan(0);
    const leaks = artifacts.filter((a) => a.text.includes(SENTINEL)).map((a) => a.path);
    recordFigure('sentinel password grep', {
      note: `${artifacts.length} artifacts (${runs.length} runs, ${plans.length} plan files), ${leaks.length} holding it`,
    });
    expect(leaks).toEqual([]);
  });
});
