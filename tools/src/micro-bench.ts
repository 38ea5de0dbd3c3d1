// Micro-benchmark of the pure core: decode (CSV bytes -> records), transform (records ->
// processed rows) and both, on generated playback rows held in memory. Prints rows/s; it is a
// measuring tool, not a test. Usage: npm run bench:micro [-- --rows 1000000]
import { decodeFile, type DecodedRecord } from '@streampulse/formats';
import { pipelineSettingsSchema } from '@streampulse/schema';
import {
  contentDimension,
  PlaybackFileTransform,
  playbackRules,
  userDimension,
} from '@streampulse/transform';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, help: { type: 'boolean' } },
});
if (values.help) {
  console.log('Usage: npm run bench:micro -- [--rows N]   (default 1000000)');
  process.exit(0);
}
const rowCount = Number(values.rows);

const devices = ['Smart TV', 'iPhone', 'Desktop', 'Roku', 'iPad', 'xbox', 'Android'];
function generateCsv(rows: number): Buffer {
  const lines = ['session_id,user_id,content_id,device_type,start_time,end_time'];
  const base = Date.parse('2025-03-01T00:00:00Z');
  for (let i = 0; i < rows; i += 1) {
    const start = base + ((i * 7919) % (30 * 86_400_000));
    const end = start + 60_000 + ((i * 104_729) % 5_400_000);
    // Mix the contract's timestamp forms the way real files do.
    const startText =
      i % 3 === 0
        ? new Date(start).toISOString()
        : i % 3 === 1
          ? String(start / 1000)
          : new Date(start).toISOString().slice(0, 19).replace('T', ' ');
    lines.push(
      `S${i},U${i % 5000},C${i % 400},${devices[i % devices.length]},${startText},${new Date(end).toISOString()}`,
    );
  }
  return Buffer.from(lines.join('\n') + '\n');
}

async function* chunks(bytes: Buffer): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += 65_536) yield bytes.subarray(offset, offset + 65_536);
}

function rate(rows: number, ms: number): string {
  return `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;
}

const bytes = generateCsv(rowCount);
const rules = playbackRules(pipelineSettingsSchema.parse({}));
const content = contentDimension();
const users = userDimension();
for (let i = 0; i < 400; i += 1) content.add({ content_id: `C${i}`, title: `Title ${i}`, genre: 'drama' });
for (let i = 0; i < 5000; i += 1) users.add({ user_id: `U${i}`, region: 'north east' });

let t = performance.now();
const batches: DecodedRecord[][] = [];
for await (const batch of decodeFile(chunks(bytes), { format: 'csv', gzip: false })) batches.push(batch);
const decodeMs = performance.now() - t;

t = performance.now();
let transform = new PlaybackFileTransform('bench.csv', rules, content, users, () => undefined);
let valid = 0;
for (const batch of batches) valid += transform.batch(batch).length;
const transformMs = performance.now() - t;
batches.length = 0;

t = performance.now();
transform = new PlaybackFileTransform('bench.csv', rules, content, users, () => undefined);
for await (const batch of decodeFile(chunks(bytes), { format: 'csv', gzip: false })) transform.batch(batch);
const bothMs = performance.now() - t;

console.log(
  `micro-benchmark: ${rowCount.toLocaleString('en-US')} CSV rows (${(bytes.length / 1e6).toFixed(1)} MB), ${valid} valid`,
);
console.log(`  decode     ${rate(rowCount, decodeMs).padStart(20)}  (${(decodeMs / 1000).toFixed(2)} s)`);
console.log(
  `  transform  ${rate(rowCount, transformMs).padStart(20)}  (${(transformMs / 1000).toFixed(2)} s)`,
);
console.log(`  both       ${rate(rowCount, bothMs).padStart(20)}  (${(bothMs / 1000).toFixed(2)} s)`);
console.log(`  node ${process.version}, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
