import { decodeFile } from '@streampulse/formats';
import { pipelineSettingsSchema, type ProcessedRow } from '@streampulse/schema';
import { describe, expect, it } from 'vitest';
import { contentDimension, userDimension } from '../src/dimensions.js';
import { PlaybackFileTransform, type Rejection } from '../src/file-transform.js';
import { playbackRules } from '../src/playback.js';

const rules = playbackRules(pipelineSettingsSchema.parse({}));

async function* bytes(text: string): AsyncIterable<Uint8Array> {
  yield new TextEncoder().encode(text);
}

function transformOf(rejections: Rejection[]) {
  const content = contentDimension();
  content.add({ content_id: 'C1', title: 'One', genre: 'drama' });
  const users = userDimension();
  users.add({ user_id: 'U1', region: 'north' });
  return new PlaybackFileTransform('raw/playback/a.csv', rules, content, users, (r) => rejections.push(r));
}

describe('PlaybackFileTransform', () => {
  it('streams a file into joined rows and quarantines each bad row with its reason, row and raw record', async () => {
    const rejections: Rejection[] = [];
    const transform = transformOf(rejections);
    const csv = [
      'session_id,user_id,content_id,device,start,end',
      'S1,U1,C1,Roku,2025-03-10T10:00:00Z,2025-03-10T10:30:00Z',
      'S2,U1,C1,Roku,2025-03-10T10:00:00Z',
      ',U1,C1,Roku,2025-03-10T10:00:00Z,2025-03-10T10:30:00Z',
      'S3,U2,C9,?,2025-03-10T10:00:00Z,2025-03-10T10:00:00Z',
      'S4,U2,C9,Web,2025-03-10T10:00:00Z,2025-03-10T11:00:00Z',
    ].join('\n');
    const rows: ProcessedRow[] = [];
    for await (const batch of transform.stream(decodeFile(bytes(csv), { format: 'csv', gzip: false })))
      rows.push(...batch);

    expect(rows.map((r) => [r.session_id, r.title, r.region, r.device_type, r.duration_min])).toEqual([
      ['S1', 'One', 'North', 'tv', 30],
      ['S4', 'Unknown', 'Unknown', 'web', 60],
    ]);
    expect(rejections.map((r) => [r.row, r.reason])).toEqual([
      [2, 'malformed_row'],
      [3, 'missing_session_id'],
      [4, 'non_positive_duration'],
    ]);
    expect(rejections[1]).toMatchObject({
      source: 'raw/playback/a.csv',
      raw: { session_id: '', user_id: 'U1' },
    });
    expect(transform.counts).toEqual({
      rowsRead: 5,
      rowsValid: 2,
      rowsRejected: 3,
      rejectedByReason: { malformed_row: 1, missing_session_id: 1, non_positive_duration: 1 },
      orphanContent: 1,
      orphanUser: 1,
    });
  });

  it('takes JSON numbers as identifiers and epochs', async () => {
    const transform = transformOf([]);
    const rows: ProcessedRow[] = [];
    const line =
      '{"session_id": 101, "user_id": 7, "content_id": "C1", "start_time": 1741600000, "end_time": 1741600060.25}';
    for await (const batch of transform.stream(decodeFile(bytes(line), { format: 'jsonl', gzip: false })))
      rows.push(...batch);
    expect(rows).toMatchObject([
      {
        session_id: '101',
        user_id: '7',
        start_time: 1_741_600_000_000,
        end_time: 1_741_600_060_250,
        duration_min: 1,
      },
    ]);
  });
});
