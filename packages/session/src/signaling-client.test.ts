import { createServer, type AddressInfo, type Socket } from 'node:net';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { afterEach, test } from 'node:test';
import {
  CloseCode,
  PROTOCOL_VERSION,
  SIGNAL_MAX_FRAME_BYTES,
  type BrokerSignalMessage,
} from '@beckon/protocol';
import { WebSocket, WebSocketServer } from 'ws';
import {
  SignalingClient,
  TerminalSignalingError,
  backoffDelay,
  signalProtocols,
  signalUrl,
  type SignalingClientOptions,
  type SignalingError,
  type SignalingState,
  type WebSocketConstructor,
} from './signaling-client.ts';

const REQUEST_ID = '0b9f6a8e-2f7c-4a51-9d0e-1c2b3a4d5e6f';
const welcome: BrokerSignalMessage = {
  type: 'welcome',
  v: PROTOCOL_VERSION,
  role: 'agent',
  requestId: REQUEST_ID,
  status: 'waiting',
  peerPresent: false,
  iceServers: [],
};

interface Seen {
  url: string;
  protocols: string;
  frames: string[];
  closed: Promise<number>;
  socket: WebSocket;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A stand-in broker: says welcome after hello, unless `onHello` does something else. */
class FakeBroker {
  readonly sockets: Seen[] = [];
  wss!: WebSocketServer;
  port = 0;
  onHello: (ws: WebSocket) => void = (ws) => ws.send(JSON.stringify(welcome));
  refuse: number | null = null;

  async listen(port = 0): Promise<void> {
    this.wss = new WebSocketServer({
      port,
      host: '127.0.0.1',
      handleProtocols: (protocols) => (protocols.has('beckon.v1') ? 'beckon.v1' : false),
      verifyClient: (_info, done) => (this.refuse ? done(false, this.refuse) : done(true)),
    });
    await once(this.wss, 'listening');
    this.port = (this.wss.address() as { port: number }).port;
    const wss = this.wss;
    cleanups.push(() => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    });
    this.wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
      const seen: Seen = {
        url: req.url ?? '',
        protocols: String(req.headers['sec-websocket-protocol'] ?? ''),
        frames: [],
        closed: new Promise((resolve) => ws.on('close', (code) => resolve(code))),
        socket: ws,
      };
      this.sockets.push(seen);
      ws.on('message', (data) => {
        const text = String(data);
        seen.frames.push(text);
        if ((JSON.parse(text) as { type: string }).type === 'hello') this.onHello(ws);
      });
    });
  }

  /** Drops every client without a close frame and stops listening, like a crashed broker. */
  async crash(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function client(broker: FakeBroker, extra: Partial<SignalingClientOptions<'agent'>> = {}) {
  let connects = 0;
  const errors: SignalingError[] = [];
  const states: SignalingState[] = [];
  const messages: BrokerSignalMessage[] = [];
  const c = new SignalingClient<'agent'>({
    role: 'agent',
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    backoffBaseMs: 20,
    backoffCapMs: 100,
    connect: async () => {
      connects += 1;
      return {
        url: signalUrl(`http://127.0.0.1:${broker.port}/`, { request: REQUEST_ID }),
        protocols: signalProtocols(`tok${connects}`),
      };
    },
    ...extra,
  });
  cleanups.push(() => c.close());
  c.on('error', (e) => errors.push(e));
  c.on('state', (s) => states.push(s));
  c.on('message', (m) => messages.push(m));
  return { c, errors, states, messages, connects: () => connects };
}

function waitState(
  c: SignalingClient<'agent'> | SignalingClient<'assist'>,
  state: SignalingState,
  ms = 5000,
): Promise<void> {
  if (c.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`state ${state} not reached (is ${c.state})`)), ms);
    const off = c.on('state', (s) => {
      if (s !== state) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

test('backoff has full jitter under an exponential cap', () => {
  assert.equal(
    backoffDelay(0, 250, 10_000, () => 0.999),
    249,
  );
  assert.equal(
    backoffDelay(3, 250, 10_000, () => 0.5),
    1000,
  );
  assert.equal(
    backoffDelay(20, 250, 10_000, () => 0.999),
    9990,
  );
  assert.equal(
    backoffDelay(5, 250, 10_000, () => 0),
    0,
  );
});

test('signal URLs and subprotocols follow the broker contract', () => {
  assert.equal(
    signalUrl('https://b.example/base/', { ticket: 'abc' }),
    'wss://b.example/base/api/v1/signal?ticket=abc',
  );
  assert.equal(signalUrl('http://h:8080', { request: 'r1' }), 'ws://h:8080/api/v1/signal?request=r1');
  assert.deepEqual(signalProtocols(), ['beckon.v1']);
  assert.deepEqual(signalProtocols('t'), ['beckon.v1', 'bearer.t']);
});

test('says hello, opens on welcome, survives a broker crash and reconnects through connect()', async () => {
  const broker = new FakeBroker();
  await broker.listen();
  const { c, states, messages, connects } = client(broker);
  c.start();
  assert.equal(c.send({ type: 'end_session' }), false, 'nothing is sent before the welcome');
  await waitState(c, 'open');
  const first = broker.sockets[0]!;
  assert.equal(first.url, `/api/v1/signal?request=${REQUEST_ID}`);
  assert.equal(first.protocols.replace(/\s/g, ''), 'beckon.v1,bearer.tok1');
  assert.deepEqual(JSON.parse(first.frames[0]!), { type: 'hello', v: PROTOCOL_VERSION });
  assert.equal(c.welcome?.requestId, REQUEST_ID);
  assert.equal(messages[0]?.type, 'welcome');
  assert.ok(c.send({ type: 'connect', permissions: ['view', 'control'] }));

  const port = broker.port;
  await broker.crash();
  await waitState(c, 'reconnecting');
  assert.equal(c.send({ type: 'end_session' }), false);
  // Let it fail against the closed port a few times, then come back on the same port.
  await new Promise((r) => setTimeout(r, 300));
  await broker.listen(port);
  await waitState(c, 'open');
  const last = broker.sockets.at(-1)!;
  assert.ok(connects() >= 2, 'connect() is asked again for every attempt');
  assert.equal(last.protocols.replace(/\s/g, ''), `beckon.v1,bearer.tok${connects()}`);
  assert.deepEqual(
    last.frames.map((f) => (JSON.parse(f) as { type: string }).type),
    ['hello'],
    'nothing from the old connection is replayed',
  );
  assert.deepEqual(states.slice(0, 3), ['open', 'reconnecting', 'open']);

  c.close();
  assert.equal(await last.closed, CloseCode.NORMAL, 'a deliberate leave is NORMAL');
  assert.equal(c.state, 'closed');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(broker.sockets.length, 2, 'no reconnect after close()');
  await broker.crash();
});

test('terminal close codes stop reconnecting', async () => {
  const broker = new FakeBroker();
  await broker.listen();
  for (const code of [
    CloseCode.REQUEST_ENDED,
    CloseCode.CREDENTIAL_REVOKED,
    CloseCode.FORBIDDEN,
    CloseCode.NOT_FOUND,
    CloseCode.PROTOCOL_MISMATCH,
    CloseCode.ROOM_FULL,
  ]) {
    broker.onHello = (ws) => ws.close(code, 'no');
    const { c, connects } = client(broker);
    const closed = new Promise<{ code: number; willReconnect: boolean }>((resolve) => c.on('close', resolve));
    c.start();
    assert.deepEqual(await closed, { code, reason: 'no', willReconnect: false });
    assert.equal(c.state, 'closed');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(connects(), 1, `no retry after ${code}`);
  }
  await broker.crash();
});

test('other closes are retried; UNAUTHENTICATED only a few times', async () => {
  const broker = new FakeBroker();
  await broker.listen();
  broker.onHello = (ws) => ws.close(CloseCode.GOING_AWAY, 'restarting');
  const retried = client(broker);
  retried.c.start();
  await new Promise((r) => setTimeout(r, 400));
  assert.ok(retried.connects() >= 3, 'GOING_AWAY is retried');
  assert.notEqual(retried.c.state, 'closed');
  retried.c.close();

  broker.onHello = (ws) => ws.close(CloseCode.UNAUTHENTICATED, 'who are you');
  const unauth = client(broker, { maxAuthRetries: 2 });
  unauth.c.start();
  await waitState(unauth.c, 'closed');
  assert.equal(unauth.connects(), 3, 'first try plus two retries');

  // A refused upgrade (the broker answers HTTP 401 / 410 before the socket opens).
  broker.refuse = 401;
  const refused = client(broker, { maxAuthRetries: 1 });
  refused.c.start();
  await waitState(refused.c, 'closed');
  assert.equal(refused.connects(), 2);
  broker.refuse = 410;
  const ended = client(broker);
  ended.c.start();
  await waitState(ended.c, 'closed');
  assert.equal(ended.connects(), 1);
  await broker.crash();
});

test('connect() failures back off; a TerminalSignalingError stops', async () => {
  let calls = 0;
  const c = new SignalingClient({
    role: 'assist',
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    backoffBaseMs: 10,
    backoffCapMs: 20,
    connect: async () => {
      calls += 1;
      if (calls < 3) throw new Error('ticket service down');
      throw new TerminalSignalingError('request closed');
    },
  });
  cleanups.push(() => c.close());
  const errors: SignalingError[] = [];
  c.on('error', (e) => errors.push(e));
  c.start();
  await waitState(c, 'closed');
  assert.equal(calls, 3);
  assert.deepEqual(
    errors.map((e) => e.message),
    ['ticket service down', 'ticket service down', 'request closed'],
  );
});

test('garbage frames are dropped and reported; the connection stays up', async () => {
  const broker = new FakeBroker();
  await broker.listen();
  broker.onHello = (ws) => {
    ws.send(JSON.stringify(welcome));
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'nope' }));
    ws.send(JSON.stringify({ ...welcome, v: PROTOCOL_VERSION + 1 }));
    ws.send(new Uint8Array([1, 2, 3]));
    ws.send(JSON.stringify({ type: 'status', status: 'x'.repeat(SIGNAL_MAX_FRAME_BYTES) }));
    ws.send(JSON.stringify({ type: 'status', status: 'ready' }));
  };
  const { c, errors, messages } = client(broker);
  c.start();
  await waitState(c, 'open');
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(
    messages.map((m) => m.type),
    ['welcome', 'status'],
  );
  assert.equal(errors.filter((e) => e.kind === 'bad_frame').length, 5);
  assert.equal(c.state, 'open');
  assert.equal(broker.sockets.length, 1);
  assert.throws(() => c.send({ type: 'consent', granted: true } as never), /invalid agent signal/);
  c.close();
  await broker.crash();
});

test('a broker that never welcomes is dropped after the handshake timeout and retried', async () => {
  const broker = new FakeBroker();
  await broker.listen();
  broker.onHello = () => {};
  const { c, errors } = client(broker, { handshakeTimeoutMs: 100 });
  c.start();
  await new Promise((r) => setTimeout(r, 450));
  assert.ok(errors.some((e) => e.kind === 'handshake_timeout'));
  assert.ok(broker.sockets.length >= 2);
  const firstClose = await broker.sockets[0]!.closed;
  assert.notEqual(firstClose, CloseCode.NORMAL, 'a timeout is not reported as a deliberate leave');
  broker.onHello = (ws) => ws.send(JSON.stringify(welcome));
  await waitState(c, 'open');
  c.close();
  await broker.crash();
});

test("the default WebSocket is the platform's (Node 24's global one here)", async () => {
  const broker = new FakeBroker();
  await broker.listen();
  const { c } = client(broker, { WebSocket: undefined });
  c.start();
  await waitState(c, 'open');
  assert.ok(c.send({ type: 'peer_state', state: 'connected', relayed: false }));
  c.close();
});

test('closing while the socket is still connecting throws nothing, now or later', async () => {
  // A server that accepts the TCP connection and never answers the upgrade.
  const held: Socket[] = [];
  const server = createServer((socket) => held.push(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    const c = new SignalingClient<'agent'>({
      role: 'agent',
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      connect: async () => ({
        url: signalUrl(`http://127.0.0.1:${port}/`, { request: REQUEST_ID }),
        protocols: signalProtocols('tok'),
      }),
    });
    c.start();
    for (let i = 0; i < 100 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(held.length, 1, 'the upgrade request reached the server');
    c.close();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(c.state, 'closed');
    assert.deepEqual(uncaught, []);
  } finally {
    process.off('uncaughtException', onUncaught);
    for (const socket of held) socket.destroy();
    server.close();
  }
});
