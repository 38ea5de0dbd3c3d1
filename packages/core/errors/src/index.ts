export { StreamPulseError, isStreamPulseError, isExpectedError, messageOf } from './streampulse-error.js';
export type { StreamPulseErrorOptions } from './streampulse-error.js';
