import { streampulseProject } from '../../../vitest.shared.ts';

// Each case prints its figure (peak RSS, time, rows); `verbose` keeps every case's name in the
// run's output, which docs/reliability.md quotes. Files run one at a time: the figures are
// peak RSS and wall time of child processes, which two files at once on 2 cores would blur.
export default streampulseProject('reliability', {
  reporters: ['verbose'],
  fileParallelism: false,
  testTimeout: 300_000,
});
