import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between the service and a dependency, that a test can sever and restore: severing closes every
 * open connection and refuses new ones (as a dead link or a stopped broker would); restoring listens again on the
 * same port. Stalling instead keeps every connection open and accepts new ones, but nothing flows either way (a
 * hung server, a network that drops packets): only the client's own timeouts end its waits. Restoring after a
 * stall drops those connections (as a restarted dependency would) and forwards new ones again.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private stalled = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = 0): Promise<this> {
    const server = createServer((client) => {
      if (this.stalled) {
        this.sockets.add(client);
        client.on('close', () => this.sockets.delete(client));
        client.on('error', () => client.destroy());
        client.pause();
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : port;
    this.server = server;
    return this;
  }

  async sever(): Promise<void> {
    this.stalled = false;
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Connections stay open and new ones are accepted, but no byte is forwarded until `restore`. */
  stall(): void {
    this.stalled = true;
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  async restore(): Promise<void> {
    if (this.stalled) {
      this.stalled = false;
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
      if (this.server !== undefined) return;
    }
    await this.start(this.port);
  }

  stop(): Promise<void> {
    return this.sever();
  }
}
