import type { ProcessedRow } from '@streampulse/schema';
import {
  UNKNOWN_CONTENT,
  UNKNOWN_USER,
  type ContentInfo,
  type Dimension,
  type UserInfo,
} from './dimensions.js';
import { hundredthsToMinutes } from './duration.js';
import type { ValidPlayback } from './playback.js';

/** Valid rows that found no content or no user row (counted before duplicates are resolved). */
export interface OrphanCounts {
  orphanContent: number;
  orphanUser: number;
}

/**
 * Joins valid playback rows to the content and user dimensions. A row with no match keeps its
 * place with `Unknown` values and is counted as an orphan.
 *
 * @example
 * const join = new PlaybackJoin(content, users);
 * const row = join.row(valid); // ProcessedRow
 * join.orphans; // { orphanContent: 0, orphanUser: 1 }
 */
export class PlaybackJoin {
  readonly orphans: OrphanCounts = { orphanContent: 0, orphanUser: 0 };

  constructor(
    private readonly content: Dimension<ContentInfo>,
    private readonly users: Dimension<UserInfo>,
  ) {}

  row(valid: ValidPlayback): ProcessedRow {
    let content = this.content.get(valid.content_id);
    if (!content) {
      this.orphans.orphanContent += 1;
      content = UNKNOWN_CONTENT;
    }
    let user = this.users.get(valid.user_id);
    if (!user) {
      this.orphans.orphanUser += 1;
      user = UNKNOWN_USER;
    }
    return {
      session_id: valid.session_id,
      user_id: valid.user_id,
      content_id: valid.content_id,
      title: content.title,
      genre: content.genre,
      region: user.region,
      device_type: valid.device_type,
      start_time: valid.start_time,
      end_time: valid.end_time,
      duration_min: hundredthsToMinutes(valid.duration_hundredths),
      event_date: valid.event_date,
    };
  }
}
