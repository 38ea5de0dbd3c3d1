// Measures loadFile throughput: npx tsx --conditions=development packages/io/warehouse/test/bench-load.ts [rows]
// Uses $DATABASE_URL's server (a scratch database is created and dropped), else an embedded one.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessedRow } from '@streampulse/schema';
import pg from 'pg';
import { removeEmbeddedPostgres, startEmbeddedPostgres } from '@streampulse/embedded-postgres';
import { connectWarehouse, loadFile, migrate } from '../src/index.js';

const total = Number(process.argv[2] ?? 1_000_000);
const batchSize = 5_000;
const genres = ['Drama', 'Comedy', 'Sci-Fi', 'Documentary'];
const devices = ['tv', 'mobile', 'tablet', 'web'] as const;
const day = Date.UTC(2025, 2, 10);

/** `total` rows; every 20th repeats an earlier session so the dedupe has work to do. */
async function* rows(shiftMinutes: number, peak: { rss: number }): AsyncGenerator<ProcessedRow[]> {
  for (let start = 0; start < total; start += batchSize) {
    const batch: ProcessedRow[] = [];
    for (let i = start; i < Math.min(total, start + batchSize); i++) {
      const session = i % 20 === 19 ? i - 7 : i;
      const begin = day + (i % 86_400) * 1000;
      const minutes = 1 + (i % 120) + shiftMinutes;
      batch.push({
        session_id: `S${session.toString().padStart(8, '0')}`,
        user_id: `U${i % 50_000}`,
        content_id: `C${i % 2_000}`,
        title: `Title "${i % 2_000}", part\t${i % 7}`,
        genre: genres[i % genres.length] as string,
        region: i % 3 ? 'München Ost' : 'São Paulo',
        device_type: devices[i % devices.length] ?? 'tv',
        start_time: begin,
        end_time: begin + minutes * 60_000 + (i % 1000),
        duration_min: Math.round((minutes * 60_000 + (i % 1000)) / 600) / 100,
        event_date: '2025-03-10',
      });
    }
    peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
    yield batch;
  }
}

async function main(): Promise<void> {
  let baseUrl = process.env.DATABASE_URL;
  let stopEmbedded = async (): Promise<void> => undefined;
  if (!baseUrl) {
    const dataDir = await mkdtemp(join(tmpdir(), 'warehouse-bench-'));
    const server = await startEmbeddedPostgres({ dataDir });
    baseUrl = server.url;
    stopEmbedded = async () => {
      await server.stop();
      await removeEmbeddedPostgres(dataDir);
    };
  }
  const name = `wh_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const pool = await connectWarehouse(url.toString());
  try {
    await migrate(pool);
    const server = await pool.query<{ v: string }>('SELECT version() AS v');
    console.log(
      `${server.rows[0]?.v.split(' on ')[0]}; ${total.toLocaleString('en')} rows in batches of ${batchSize}`,
    );
    for (const [label, shift] of [
      ['into an empty table', 0],
      ['again, nothing newer (all conflicts kept)', 0],
      ['again, every row later (all replaced)', 1],
    ] as const) {
      const peak = { rss: 0 };
      const started = performance.now();
      const result = await loadFile(pool, {
        key: `bench/${label}`,
        etag: 'e',
        size: 0,
        rowsRead: total,
        rowsRejected: 0,
        rows: rows(shift, peak),
      });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${label}: ${seconds.toFixed(2)} s, ${Math.round(total / seconds).toLocaleString('en')} rows/s, ` +
          `rowsLoaded ${result.rowsLoaded.toLocaleString('en')}, peak RSS ${Math.round(peak.rss / 2 ** 20)} MiB`,
      );
    }
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
    await stopEmbedded();
  }
}

await main();
