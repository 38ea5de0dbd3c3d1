// The glue-launcher command (start, wait, smoke); the launchers themselves are
// `@streampulse/glue` and `@streampulse/glue/local`.
export { main, type LauncherIo } from './cli/main.js';
