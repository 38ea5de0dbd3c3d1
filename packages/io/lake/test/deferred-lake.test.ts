import { describe, expect, it } from 'vitest';
import { DeferredLake, LocalLake, type Lake } from '../src/index.js';
import { describeLakeContract } from './lake-contract.js';
import { freshFolders } from './support.js';

const freshRoot = freshFolders('deferred').fresh;

async function freshLocalLake(): Promise<Lake> {
  return new LocalLake(await freshRoot());
}

describeLakeContract('DeferredLake over a LocalLake', async () => {
  const inner = await freshLocalLake();
  return new DeferredLake(inner.root, () => Promise.resolve(inner));
});

describe('DeferredLake', () => {
  it('loads its lake once, on the first call, and not before', async () => {
    const inner = await freshLocalLake();
    let loads = 0;
    const lake = new DeferredLake('s3://lake/prod', () => {
      loads += 1;
      return Promise.resolve(inner);
    });
    expect(lake.root).toBe('s3://lake/prod');
    expect(loads).toBe(0);
    await lake.write('a.csv', 'a');
    await Promise.all([lake.stat('a.csv'), lake.stat('b.csv')]);
    expect(loads).toBe(1);
  });

  it('fails every call with the error of a failed load', async () => {
    const failure = new Error('the AWS SDK is not installed');
    const lake = new DeferredLake('s3://lake/prod', () => Promise.reject(failure));
    await expect(lake.stat('a.csv')).rejects.toBe(failure);
    await expect(lake.write('a.csv', 'a')).rejects.toBe(failure);
    const listing = lake.list('')[Symbol.asyncIterator]();
    await expect(listing.next()).rejects.toBe(failure);
  });
});
