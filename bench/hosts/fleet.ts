import { hostAuthMessage, PROTOCOL_VERSION } from '@beckon/protocol';
import { backoffDelay } from '@beckon/session';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';

/**
 * N idle managed hosts as lightweight protocol clients (no wrtc, no capture):
 * each answers the challenge with its own Ed25519 key, pings every heartbeat,
 * and reconnects with the same jittered backoff as the real host.
 */
export interface BenchHostKey {
  privateKey: KeyObject;
  publicKey: string;
}

export function hostKeys(n: number): BenchHostKey[] {
  return Array.from({ length: n }, () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return { privateKey, publicKey: publicKey.export({ format: 'jwk' }).x as string };
  });
}

/** Loopback source addresses spread the sockets so ephemeral ports never run out. */
let sourceN = 0;
const nextSource = () => {
  sourceN++;
  return `127.0.${1 + Math.floor(sourceN / 20000)}.${1 + (sourceN % 250)}`;
};

export class BenchHost {
  ws: WebSocket | null = null;
  online = false;
  welcomes = 0;
  private attempt = 0;
  private stopped = false;
  private readonly source = nextSource();
  readonly id: string;
  private readonly key: BenchHostKey;
  private readonly url: string;
  private readonly onWelcome: (h: BenchHost) => void;
  constructor(id: string, key: BenchHostKey, url: string, onWelcome: (h: BenchHost) => void) {
    this.id = id;
    this.key = key;
    this.url = url;
    this.onWelcome = onWelcome;
  }

  connect(): void {
    const ws = new WebSocket(this.url, ['beckon.host.v1'], {
      localAddress: this.source,
      perMessageDeflate: false,
    });
    this.ws = ws;
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; nonce?: string };
      if (m.type === 'challenge' && m.nonce) {
        const proof = sign(null, Buffer.from(hostAuthMessage(this.id, m.nonce)), this.key.privateKey);
        ws.send(
          JSON.stringify({
            type: 'hello',
            v: PROTOCOL_VERSION,
            hostId: this.id,
            proof: proof.toString('base64url'),
          }),
        );
      } else if (m.type === 'welcome') {
        this.online = true;
        this.attempt = 0;
        this.welcomes++;
        this.onWelcome(this);
      }
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      this.online = false;
      if (this.stopped) return;
      setTimeout(() => this.connect(), backoffDelay(this.attempt++, 500, 15_000));
    });
  }

  send(frame: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  stop(): void {
    this.stopped = true;
    this.ws?.terminate();
  }
}

/** One timer for the fleet: every host pings once per heartbeat, spread evenly over it. */
export function heartbeats(hosts: BenchHost[], heartbeatMs: number): () => void {
  const TICK = 100;
  const perTick = Math.ceil(hosts.length / (heartbeatMs / TICK));
  let next = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < perTick && hosts.length > 0; i++) {
      hosts[next]?.send({ type: 'ping', t: Date.now() });
      next = (next + 1) % hosts.length;
    }
  }, TICK);
  return () => clearInterval(timer);
}
