import { connect } from 'node:net';
import Fastify from 'fastify';
import { installClosingGuard, installEnvelopeGuard } from './edge.js';

/** Two requests on one kept-alive connection; the second is sent once the server has started closing. */
async function secondAnswerWhileClosing(): Promise<string> {
  const fastify = Fastify({ return503OnClosing: false, forceCloseConnections: false });
  installEnvelopeGuard(fastify);
  installClosingGuard(fastify);
  let closed: Promise<undefined> | undefined;
  let closing: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (closing = resolve));
  fastify.get('/api/v1/slow', async () => {
    closed = fastify.close();
    closing();
    // In flight while the second request arrives, so the connection is not idle and stays open.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { ok: true };
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const { port } = fastify.server.address() as { port: number };
  const received = await new Promise<string>((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    const request = 'GET /api/v1/slow HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';
    socket.write(request);
    void started.then(() => socket.write(request));
  });
  await closed;
  return received;
}

describe('the edge while the server closes', () => {
  it('answers a request that still arrives on a kept-alive connection with the 503 50300 envelope', async () => {
    const received = await secondAnswerWhileClosing();
    const answers = received.split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200/);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
    expect(answers[1]).toMatch(/retry-after: 1/i);
    const body = JSON.parse(answers[1]?.split('\r\n\r\n')[1] ?? '') as Record<string, unknown>;
    expect(body).toEqual({ code: 50300, message: expect.any(String), data: null, traceId: expect.any(String) });
  });
});
