export {
  parseAthenaTable,
  splitAthenaScript,
  trinoTableSql,
  trinoType,
  unloadParts,
  type AthenaTable,
  type HiveColumn,
  type ScriptStatement,
  type UnloadParts,
} from './athena-ddl.js';
export {
  trinoClient,
  TrinoError,
  type TrinoClientOptions,
  type TrinoColumn,
  type TrinoResult,
} from './client.js';
export {
  TRINO_ARTIFACTS,
  TRINO_MIN_JAVA,
  TRINO_VERSION,
  trinoInstall,
  type TrinoInstall,
} from './install.js';
export { trinoJava, type TrinoJava } from './java.js';
export { startTrino, type StartTrinoOptions, type TrinoServer } from './server.js';
export { setUpTrino, TRINO_ETC } from './setup.js';
