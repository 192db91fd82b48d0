import { createServer, Server, Socket, connect } from 'node:net';

const METADATA = 3;
const FIND_COORDINATOR = 10;

/**
 * A TCP forwarder to one Kafka broker that tells its clients the broker is the proxy: it rewrites
 * the broker addresses in Metadata and FindCoordinator answers (the versions kafkajs speaks: Metadata
 * up to v6, FindCoordinator up to v2, none of them flexible). Every connection a client makes then
 * goes through it, so close() cuts the broker off from a running app as an outage would, without
 * touching the real broker, and open() brings it back. A plain TcpProxy carries only the bootstrap
 * connection: the broker's own address, which it hands out, is reached directly.
 */
export class KafkaProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly broker: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    this.server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private forward(client: Socket): void {
    const upstream = connect(this.broker.port, this.broker.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
      socket.on('error', () => socket.destroy());
    }
    // Requests name their API; responses only their correlation id.
    const asked = new Map<number, { apiKey: number; version: number }>();
    frames(client, (frame) => {
      asked.set(frame.readInt32BE(4), { apiKey: frame.readInt16BE(0), version: frame.readInt16BE(2) });
      upstream.write(withSize(frame));
    });
    frames(upstream, (frame) => {
      const correlationId = frame.readInt32BE(0);
      const request = asked.get(correlationId);
      asked.delete(correlationId);
      client.write(withSize(request ? this.rewrite(frame, request.apiKey, request.version) : frame));
    });
  }

  private rewrite(frame: Buffer, apiKey: number, version: number): Buffer {
    if (apiKey === METADATA) {
      let at = 4 + (version >= 3 ? 4 : 0);
      const head = frame.subarray(0, at);
      const count = frame.readInt32BE(at);
      at += 4;
      const brokers: Buffer[] = [];
      for (let i = 0; i < count; i += 1) {
        const nodeId = frame.readInt32BE(at);
        at += 4;
        at += 2 + frame.readInt16BE(at) + 4; // host, port
        let rack: Buffer = Buffer.alloc(0);
        if (version >= 1) {
          const length = frame.readInt16BE(at);
          rack = frame.subarray(at, at + 2 + Math.max(length, 0));
          at += rack.length;
        }
        brokers.push(Buffer.concat([int32(nodeId), this.address(), rack]));
      }
      return Buffer.concat([head, int32(count), ...brokers, frame.subarray(at)]);
    }
    if (apiKey === FIND_COORDINATOR) {
      let at = 4;
      if (version >= 1) {
        at += 4 + 2; // throttle time, error code
        at += 2 + Math.max(frame.readInt16BE(at), 0); // error message
      } else {
        at += 2;
      }
      const head = frame.subarray(0, at + 4); // up to and with the node id
      at += 4;
      at += 2 + frame.readInt16BE(at) + 4; // host, port
      return Buffer.concat([head, this.address(), frame.subarray(at)]);
    }
    return frame;
  }

  /** host (string) and port (int32) of the proxy. */
  private address(): Buffer {
    const host = Buffer.from('127.0.0.1');
    const length = Buffer.alloc(2);
    length.writeInt16BE(host.length);
    return Buffer.concat([length, host, int32(this.port)]);
  }
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

function withSize(frame: Buffer): Buffer {
  return Buffer.concat([int32(frame.length), frame]);
}

/** Calls `each` with every size-delimited frame (without its size) the socket delivers. */
function frames(socket: Socket, each: (frame: Buffer) => void): void {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const size = pending.readInt32BE(0);
      each(pending.subarray(4, 4 + size));
      pending = pending.subarray(4 + size);
    }
  });
}
