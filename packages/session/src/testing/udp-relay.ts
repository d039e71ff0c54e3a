import { createSocket, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';

/** The first non-internal IPv4 address: libwebrtc skips loopback when it has a real interface. */
export function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const ni of list ?? []) if (ni.family === 'IPv4' && !ni.internal) return ni.address;
  }
  return '127.0.0.1';
}

function bound(address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, address, () => resolve(socket));
  });
}

/**
 * A UDP forwarder standing in for a network path: peers are told its address
 * instead of the real candidate, so their ICE connection runs through it, and
 * `blocked = true` makes the path go dark (a Wi-Fi drop, a NAT rebinding)
 * without either peer being told. Each client source gets its own outbound
 * socket, so replies find their way back like through a NAT.
 */
export class UdpRelay {
  blocked = false;
  forwarded = 0;
  private closed = false;
  /** Bytes per second in each direction, or 0 for no limit: a slow uplink that makes senders queue. */
  rateBytesPerSec = 0;
  private readonly departures = { out: 0, back: 0 };
  private readonly front: Socket;
  private readonly target: { address: string; port: number };
  /** One outbound socket per client source, created once (concurrent packets share the promise). */
  private readonly backs = new Map<string, Promise<Socket>>();
  private readonly backSockets: Socket[] = [];
  private readonly listenAddress: string;

  private constructor(front: Socket, target: { address: string; port: number }, listenAddress: string) {
    this.front = front;
    this.target = target;
    this.listenAddress = listenAddress;
    front.on('message', (msg, from) => void this.forward(msg, from));
  }

  static async open(target: { address: string; port: number }, listenAddress = lanAddress()) {
    return new UdpRelay(await bound(listenAddress), target, listenAddress);
  }

  get address(): { address: string; port: number } {
    const a = this.front.address();
    return { address: a.address, port: a.port };
  }

  /** Every port this relay sends or receives on: a peer may see either as the other's address. */
  get ports(): number[] {
    return [this.front.address().port, ...this.backSockets.map((s) => s.address().port)];
  }

  close(): void {
    this.closed = true;
    this.front.close();
    for (const s of this.backSockets) s.close();
  }

  private async forward(msg: Buffer, from: { address: string; port: number }): Promise<void> {
    if (this.blocked || this.closed) return;
    const key = `${from.address}:${from.port}`;
    let pending = this.backs.get(key);
    if (!pending) {
      pending = bound(this.listenAddress).then((socket) => {
        this.backSockets.push(socket);
        if (this.closed) socket.close();
        socket.on('message', (reply) => {
          this.pace('back', reply.length, () => this.front.send(reply, from.port, from.address));
        });
        return socket;
      });
      this.backs.set(key, pending);
    }
    const out = await pending;
    if (this.closed) return;
    this.forwarded += 1;
    this.pace('out', msg.length, () => out.send(msg, this.target.port, this.target.address));
  }

  /** Sends at most `rateBytesPerSec`: each packet leaves when the previous one has "drained". */
  private pace(direction: 'out' | 'back', bytes: number, send: () => void): void {
    const go = () => {
      if (!this.blocked && !this.closed) send();
    };
    if (this.rateBytesPerSec <= 0) return go();
    const now = performance.now();
    const at = Math.max(now, this.departures[direction]);
    this.departures[direction] = at + (bytes / this.rateBytesPerSec) * 1000;
    if (at <= now) go();
    else setTimeout(go, at - now);
  }
}
