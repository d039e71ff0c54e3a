import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloseCode, PROTOCOL_VERSION, type LiveServerMessage } from '@beckon/protocol';
import {
  backoffDelay,
  createLiveClient,
  type LiveStatus,
  type SocketLike,
  type Timers,
} from './live-client.ts';

class FakeSocket implements SocketLike {
  sent: string[] = [];
  closed: number | null = null;
  url: string;
  protocols: string[];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(url: string, protocols: string[]) {
    this.url = url;
    this.protocols = protocols;
  }
  send(text: string) {
    this.sent.push(text);
  }
  close(code = 1000) {
    this.closed = code;
    this.onclose?.({});
  }
  /** The broker closes the socket with `code`. */
  closedBy(code: number) {
    this.onclose?.({ code });
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
}

/** Timers run by hand: `advance` fires everything due. */
function manualTimers(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn, ms) {
      seq += 1;
      due.set(seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
    },
    pending: () => due.size,
  };
}

function harness() {
  const sockets: FakeSocket[] = [];
  const statuses: [LiveStatus, number][] = [];
  const messages: LiveServerMessage[] = [];
  const credentialCloses: number[] = [];
  const timers = manualTimers();
  const client = createLiveClient({
    url: () => 'ws://b/api/v1/live',
    protocols: () => ['beckon.v1'],
    createSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    onMessage: (m) => messages.push(m),
    onStatus: (s, a) => statuses.push([s, a]),
    onCredentialClosed: (code) => credentialCloses.push(code),
    timers,
    random: () => 1,
    pingEveryMs: 1000,
    silenceLimitMs: 500,
  });
  return { sockets, statuses, messages, credentialCloses, timers, client };
}

const hello = { type: 'hello', v: PROTOCOL_VERSION, userId: 'u' };

describe('backoffDelay', () => {
  it('doubles up to 30 s with jitter between half and full', () => {
    assert.equal(
      backoffDelay(0, () => 1),
      1000,
    );
    assert.equal(
      backoffDelay(3, () => 1),
      8000,
    );
    assert.equal(
      backoffDelay(20, () => 1),
      30_000,
    );
    assert.equal(
      backoffDelay(3, () => 0),
      4000,
    );
  });
});

describe('live client', () => {
  it('connects with the subprotocol, goes live on hello and delivers parsed frames', () => {
    const h = harness();
    h.client.start();
    assert.deepEqual(h.sockets[0]?.protocols, ['beckon.v1']);
    h.sockets[0]?.receive(hello);
    h.sockets[0]?.receive('{"type":"request_changed","change":"status"}'); // invalid: skipped
    h.sockets[0]?.receive('not json');
    assert.deepEqual(h.statuses, [
      ['connecting', 0],
      ['live', 0],
    ]);
    assert.deepEqual(h.messages, [hello]);
  });

  it('a close for an ended credential or a removed permission stops retrying and says so', () => {
    for (const code of [CloseCode.CREDENTIAL_REVOKED, CloseCode.FORBIDDEN]) {
      const h = harness();
      h.client.start();
      h.sockets[0]?.receive(hello);
      h.sockets[0]?.closedBy(code);
      assert.deepEqual(h.credentialCloses, [code]);
      h.timers.advance(120_000);
      assert.equal(h.sockets.length, 1, 'no reconnect with a credential that ended');
      // Started again (signed in anew), it connects as before.
      h.client.start();
      assert.equal(h.sockets.length, 2);
    }
    // A dropped network (1006) is retried, and is no credential close.
    const h = harness();
    h.client.start();
    h.sockets[0]?.closedBy(1006);
    h.timers.advance(2000);
    assert.equal(h.sockets.length, 2);
    assert.deepEqual(h.credentialCloses, []);
  });

  it('reconnects with growing delays and resets after a hello', () => {
    const h = harness();
    h.client.start();
    h.sockets[0]?.close();
    assert.equal(h.sockets.length, 1);
    h.timers.advance(999);
    assert.equal(h.sockets.length, 1);
    h.timers.advance(1);
    assert.equal(h.sockets.length, 2);
    h.sockets[1]?.close();
    h.timers.advance(1999);
    assert.equal(h.sockets.length, 2);
    h.timers.advance(1);
    assert.equal(h.sockets.length, 3);
    h.sockets[2]?.receive(hello);
    h.sockets[2]?.close();
    h.timers.advance(1000);
    assert.equal(h.sockets.length, 4, 'back to the first delay after a good connection');
    assert.deepEqual(
      h.statuses.map(([s]) => s),
      ['connecting', 'offline', 'connecting', 'offline', 'connecting', 'live', 'offline', 'connecting'],
    );
  });

  it('pings and drops a connection that stays silent', () => {
    const h = harness();
    h.client.start();
    const s = h.sockets[0];
    s?.receive(hello);
    h.timers.advance(1000);
    assert.match(s?.sent[0] ?? '', /"type":"ping"/);
    s?.receive({ type: 'pong', t: 1 });
    h.timers.advance(1000);
    assert.equal(s?.sent.length, 2);
    h.timers.advance(500);
    assert.equal(s?.closed, 4000);
    h.timers.advance(1000);
    assert.equal(h.sockets.length, 2);
  });

  it('stops for good: no retry, no callbacks from the old socket', () => {
    const h = harness();
    h.client.start();
    const s = h.sockets[0];
    h.client.stop();
    assert.equal(s?.closed, 1000);
    h.timers.advance(60_000);
    assert.equal(h.sockets.length, 1);
    assert.equal(h.timers.pending(), 0);
  });

  it('reconnects at once when asked while waiting', () => {
    const h = harness();
    h.client.start();
    h.sockets[0]?.close();
    h.client.reconnectNow();
    assert.equal(h.sockets.length, 2);
    h.timers.advance(60_000);
    assert.equal(h.sockets.length, 2, 'the cancelled retry does not open another');
  });
});
