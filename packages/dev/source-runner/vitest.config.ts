import { streampulseProject } from '../../../vitest.shared.ts';

export default streampulseProject('source-runner');
