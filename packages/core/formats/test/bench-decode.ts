// Decoding throughput from memory of a typical playback file (6 columns, ~100 bytes a row as CSV),
// as CSV, gzipped CSV, CSV with quoted fields, JSON Lines and a JSON array.
// Run: npx tsx packages/core/formats/test/bench-decode.ts [rows]   (a measurement, not a test)
import { gzipSync } from 'node:zlib';
import { decodeFile, type FileType } from '../src/index.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const devices = ['Smart TV', 'mobile', 'Desktop', 'iPad', 'Roku', 'Chromecast'];

function playbackCsv(count: number): Uint8Array {
  const lines = ['session_id,user_id,content_id,device_type,start_time,end_time'];
  for (let i = 0; i < count; i++) {
    const start = 1_741_600_000 + i * 7;
    lines.push(
      `sess-${String(i).padStart(12, '0')},user-${String(i % 50_000).padStart(8, '0')},` +
        `content-${String(i % 997).padStart(5, '0')},${devices[i % devices.length]},` +
        `${new Date(start * 1000).toISOString()},${new Date((start + 1800) * 1000).toISOString()}`,
    );
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

async function* chunks(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function measure(label: string, bytes: Uint8Array, type: FileType): Promise<void> {
  let best = Infinity;
  let count = 0;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    count = 0;
    for await (const batch of decodeFile(chunks(bytes), type)) count += batch.length;
    best = Math.min(best, performance.now() - started);
  }
  const perSecond = Math.round(count / (best / 1000));
  console.log(
    `${label}: ${count} rows, ${(bytes.length / 1e6).toFixed(1)} MB in ${best.toFixed(0)} ms ` +
      `= ${perSecond.toLocaleString('en-US')} rows/s (best of 5)`,
  );
}

const csv = playbackCsv(rows);
console.log(`average row: ${(csv.length / (rows + 1)).toFixed(0)} bytes`);
await measure('csv', csv, { format: 'csv', gzip: false });
await measure('csv.gz', gzipSync(csv), { format: 'csv', gzip: true });
const text = new TextDecoder().decode(csv);
const quoted = new TextEncoder().encode(
  new TextDecoder().decode(csv).replaceAll(',Smart TV,', ',"Smart, TV",'),
);
await measure('csv, 1 row in 6 quoted', quoted, { format: 'csv', gzip: false });

const [head = '', ...lines] = text.trimEnd().split('\n');
const names = head.split(',');
const objects = lines.map((line) =>
  JSON.stringify(Object.fromEntries(line.split(',').map((v, i) => [names[i], v]))),
);
await measure('jsonl', new TextEncoder().encode(objects.join('\n')), { format: 'jsonl', gzip: false });
await measure('json array', new TextEncoder().encode(`[${objects.join(',\n')}]`), {
  format: 'json',
  gzip: false,
});
