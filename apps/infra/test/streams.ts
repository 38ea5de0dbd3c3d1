export { captured } from '@streampulse/test-servers';
