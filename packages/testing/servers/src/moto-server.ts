import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { loopbackS3Client, type TestS3 } from './s3-server.js';

/** A free TCP port on loopback, as the kernel hands one out. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts moto's S3 server (`moto_server`, which `npm run spark:setup` installs beside PySpark) on
 * 127.0.0.1 at a free port. The Spark suites use it instead of s3rver: Hadoop's S3A writes folder
 * markers (keys ending in `/`), which s3rver cannot store, so every Spark write to s3rver
 * retries forever.
 *
 * @example
 * const s3 = await startMotoS3('.cache/spark/venv/bin/moto_server');
 * await s3.createBucket('lake');
 */
export async function startMotoS3(command: string): Promise<TestS3> {
  const port = await freePort();
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { env, client } = loopbackS3Client(port, 'MOTO');
  const stop = async () => {
    client.destroy();
    child.kill('SIGTERM');
    await exited;
  };
  // It answers within seconds; a minute covers a loaded machine.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.send(new ListBucketsCommand({}));
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`moto_server did not start on port ${port}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    env,
    client,
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    stop,
  };
}
