export { recordFigure, suiteSize, bySize, type Figure, type SuiteSize } from './figures.js';
export {
  startCommand,
  streampulse,
  STREAMPULSE_BIN,
  type CommandRun,
  type StartedCommand,
} from './run-command.js';
export { DIMENSIONS, makeLake, PLAYBACK_HEADER, playbackCsv, playbackRows, writeLakeFiles } from './lakes.js';
export { PG_BIN, startOwnedPostgres, type OwnedPostgres } from './owned-postgres.js';
