import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 in front of a peer, to cut connections on purpose (reconnect tests).
 * `dropConnections()` destroys every open connection; new ones are accepted again at once
 * unless `refuse` is set.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private readonly frozen = new WeakSet<Socket>();
  refuse = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    let proxy!: TcpProxy;
    const server = createServer((client) => {
      if (proxy.refuse) return client.destroy();
      const upstream = connect(targetPort, targetHost);
      for (const s of [client, upstream]) {
        proxy.sockets.add(s);
        s.on('close', () => proxy.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (d: Buffer) => {
        if (!proxy.frozen.has(client)) upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => {
        if (!proxy.frozen.has(client)) client.write(d);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new TcpProxy(server, (server.address() as AddressInfo).port);
    return proxy;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get openConnections(): number {
    return this.sockets.size / 2;
  }

  /**
   * Open connections stay open but carry nothing any more (a half-open peer: the node is gone
   * without closing the socket). New connections work normally.
   */
  freezeConnections(): void {
    for (const s of this.sockets) this.frozen.add(s);
  }

  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
