import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The playback file of {@link smallLake}: three sessions on 10 March (IST), one without a user. */
export const PLAYBACK_CSV = [
  'session_id,user_id,content_id,device_type,start_time,end_time',
  's1,u1,c1,Roku,2025-03-10T10:00:00Z,2025-03-10T10:45:00Z',
  's2,u2,c2,iPhone,2025-03-10T11:00:00Z,2025-03-10T11:30:30Z',
  's3,,c1,web,2025-03-10T12:00:00Z,2025-03-10T12:10:00Z',
].join('\n');

/** A lake folder with content metadata, user profiles and, if given, playback files. */
export function smallLake(playback: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'streampulse-launcher-lake-'));
  const files: Record<string, string> = {
    'raw/content_metadata/catalog.csv':
      'content_id,title,genre\nc1,The Long Night,Drama\nc2,Laugh Track,Comedy\n',
    'raw/user_profiles/users.csv': 'user_id,region\nu1,north\nu2,South\n',
    ...playback,
  };
  for (const [key, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, key)), { recursive: true });
    writeFileSync(join(root, key), text);
  }
  return root;
}
