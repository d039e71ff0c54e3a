import {
  hostAuthMessage,
  hostRotateMessage,
  HostServerMessageSchema,
  PROTOCOL_VERSION,
  type HostPresenceInfo,
  type HostServerMessage,
} from '@beckon/protocol';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import { request, waitFor } from './fixture.ts';

/** A managed host's key pair as a test holds it (a real host keeps it in a 0600 file). */
export interface TestHostKey {
  privateKey: KeyObject;
  /** 32 raw bytes, base64url. */
  publicKey: string;
}

export function newHostKey(): TestHostKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { privateKey, publicKey: jwk.x as string };
}

export const signWith = (key: TestHostKey, message: string) =>
  sign(null, Buffer.from(message, 'utf8'), key.privateKey).toString('base64url');

export const TEST_PRESENCE: HostPresenceInfo = {
  hostname: 'build-07',
  os: 'linux',
  userPresent: false,
  screenLocked: null,
};

export async function enrolHost(url: string, adminToken: string, key: TestHostKey, name = 'Build 07') {
  const code = await request(url, 'POST', '/api/v1/hosts/enrolment-codes', {}, adminToken);
  if (code.status !== 201) throw new Error(`enrolment code: ${code.status}`);
  const res = await request(url, 'POST', '/api/v1/hosts/enrol', {
    code: code.body.code,
    publicKey: key.publicKey,
    name,
    presence: TEST_PRESENCE,
  });
  if (res.status !== 201) throw new Error(`enrol: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.hostId as string;
}

/** A raw host socket: every frame recorded, so a test can also sign with the wrong key. */
export interface RawHost {
  ws: WebSocket;
  messages: HostServerMessage[];
  nonce: Promise<string>;
  closed: Promise<{ code: number; reason: string }>;
  send(frame: unknown): void;
  next<T extends HostServerMessage['type']>(type: T): Promise<Extract<HostServerMessage, { type: T }>>;
}

export function rawHost(url: string): RawHost {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/host`, ['beckon.host.v1']);
  const messages: HostServerMessage[] = [];
  ws.on('message', (d) => messages.push(HostServerMessageSchema.parse(JSON.parse(d.toString()))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const next = async <T extends HostServerMessage['type']>(type: T) =>
    (await waitFor(() => messages.find((m) => m.type === type), 5000, type)) as Extract<
      HostServerMessage,
      { type: T }
    >;
  return {
    ws,
    messages,
    closed,
    nonce: next('challenge').then((m) => m.nonce),
    send: (frame) => ws.send(JSON.stringify(frame)),
    next,
  };
}

/** Opens a host socket and answers the challenge with `key` for `hostId`. */
export async function connectHost(url: string, hostId: string, key: TestHostKey): Promise<RawHost> {
  const host = rawHost(url);
  const nonce = await host.nonce;
  host.send({
    type: 'hello',
    v: PROTOCOL_VERSION,
    hostId,
    proof: signWith(key, hostAuthMessage(hostId, nonce)),
  });
  return host;
}

export function rotateFrame(hostId: string, nonce: string, next: TestHostKey) {
  return {
    type: 'rotate_key',
    publicKey: next.publicKey,
    proof: signWith(next, hostRotateMessage(hostId, nonce, next.publicKey)),
  };
}
