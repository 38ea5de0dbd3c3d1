import { streampulseProject } from '../../../vitest.shared.ts';

export default streampulseProject('contract-sql');
