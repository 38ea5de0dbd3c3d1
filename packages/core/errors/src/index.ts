export { StreamPulseError, isStreamPulseError, isExpectedError } from './streampulse-error.js';
export type { StreamPulseErrorOptions } from './streampulse-error.js';
