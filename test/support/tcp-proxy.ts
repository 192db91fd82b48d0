import { readFileSync } from 'node:fs';
import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP forwarder that can be opened late, to play a broker that is not there yet. Kafka clients
 * bootstrap through it; the broker then tells them its own address.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Client connections accepted so far. */
  accepted = 0;

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      this.accepted += 1;
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}

const handedOut = new Set<number>();

/** The lowest port the kernel gives outgoing connections (net.ipv4.ip_local_port_range). */
function ephemeralLow(): number {
  try {
    return (
      Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768
    );
  } catch {
    return 32_768;
  }
}

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });

/**
 * A port free a moment ago, for an app under test to listen on. Taken below the range the kernel
 * gives outgoing connections: a port from that range, free when asked, can be taken by any client
 * connection (to the broker, the database) before the app binds it, and the app fails with
 * EADDRINUSE. Never the same port twice in one test process.
 */
export async function freePort(): Promise<number> {
  // Where the kernel's range starts too low to leave room, the default one's start will do.
  const low = ephemeralLow() > 11_000 ? ephemeralLow() : 32_768;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 10_000 + Math.floor(Math.random() * (low - 10_000));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between 10000 and ${low}`);
}
