import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { v7 as uuidv7 } from 'uuid';
import { compileForChild, repoRoot } from '../support/compile-for-child.js';
import { freePort } from '../support/free-port.js';
import { brokerReachable, TEST_BROKER_URL as BROKER } from '../support/test-broker.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { describeProfile, testProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A worker that dies loses no event: the real service, as a process, commits a registration while the broker is
 * unreachable, is killed with SIGKILL (no shutdown hook runs), and a new process publishes the event it left in the
 * outbox. Server profile: both processes share the MariaDB database, as two pods would.
 */
describe.skipIf(testProfile().kind !== 'server')(describeProfile('crash recovery of the service process'), () => {
  let available = false;
  let main: string;
  let workDir: string;
  let proxy: TcpProxy;
  let consumer: ChannelModel | undefined;
  const children: ChildProcess[] = [];
  const exchange = `orderly.crash.${uuidv7()}`;

  beforeAll(async () => {
    available = await brokerReachable();
    if (!available) return;
    const compiled = await compileForChild(['src/main.ts']);
    workDir = compiled.workDir;
    main = join(compiled.outDir, 'src/main.js');
    proxy = await new TcpProxy(BROKER.hostname, Number(BROKER.port || 5672)).start();
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    if (!available) return;
    if (consumer !== undefined) {
      await (await consumer.createChannel()).deleteExchange(exchange);
      await consumer.close();
    }
    await proxy.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  async function startService(
    port: number,
  ): Promise<{ child: ChildProcess; base: string; exited: Promise<number | null> }> {
    const profile = testProfile();
    if (profile.kind !== 'server') throw new Error('server profile only');
    const brokerUrl = new URL(BROKER);
    brokerUrl.port = String(proxy.port);
    const child = spawn(process.execPath, [main], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'error',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: profile.databaseUrl,
        MIGRATIONS_RUN: 'true',
        JWT_SECRET: 'crash-recovery-secret-that-is-at-least-32-bytes',
        BROKER_URL: brokerUrl.toString(),
        BROKER_EXCHANGE: exchange,
        OUTBOX_POLL_INTERVAL: '200ms',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => {
        try {
          return (await fetch(`${base}/health/ready`)).status;
        } catch {
          return 0;
        }
      },
      (status) => status === 200,
      30_000,
    );
    return { child, base, exited };
  }

  it('publishes after a restart what a killed process committed while the broker was down', async (context) => {
    if (!available) return context.skip();
    await proxy.sever();
    const first = await startService(await freePort());
    const email = `crash-${uuidv7()}@it.example.com`;
    const registered = await fetch(`${first.base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'password-1234', displayName: 'Crash Test' }),
    });
    expect(registered.status).toBe(201);

    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    // A consumer and the broker come back; then a new instance starts.
    await proxy.restore();
    consumer = await connect(BROKER.toString());
    const channel = await consumer.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, exchange, 'identity.user_registered');
    const received: ConsumeMessage[] = [];
    await channel.consume(queue, (message) => message && received.push(message), { noAck: true });

    const second = await startService(await freePort());
    const message = await waitFor(
      () =>
        received.find(
          (candidate) =>
            (JSON.parse(candidate.content.toString()) as { payload: { email: string } }).payload.email === email,
        ),
      (found) => found !== undefined,
      // The killed instance may have claimed the row for publishing just before SIGKILL (its publish to the severed
      // broker still pending): that claim's lease (PUBLISH_LEASE_MS, 30 s) must run out before another instance
      // takes the row — the designed recovery path, so the wait covers it.
      45_000,
    );
    expect(message?.properties.messageId).toEqual(expect.any(String));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);
});
