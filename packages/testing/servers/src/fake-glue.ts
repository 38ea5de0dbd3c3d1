import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake endpoint received. */
export interface GlueRequest {
  target: string;
  body: Record<string, unknown>;
}

/** What the fake answers, in order; the last answer repeats. */
export interface GlueAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * A tiny HTTP server on 127.0.0.1 speaking Glue's JSON protocol: it records each request's
 * X-Amz-Target and JSON body, and answers from a list.
 */
export async function fakeGlueEndpoint(answers: GlueAnswer[]): Promise<{
  url: string;
  requests: GlueRequest[];
  close(): Promise<void>;
}> {
  const requests: GlueRequest[] = [];
  let next = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        target: String(request.headers['x-amz-target']),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
      });
      const answer = answers[Math.min(next, answers.length - 1)] ?? { status: 500, body: {} };
      next += 1;
      response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
