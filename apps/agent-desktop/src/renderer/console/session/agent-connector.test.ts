import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataChannelMessage, RemotePermission } from '@beckon/protocol';
import {
  Emitter,
  type AgentSessionEvents,
  type AgentSessionOptions,
  type FileTransport,
  type Peer,
  type SessionStats as RawStats,
} from '@beckon/session';
import { createAgentConnector, type SamplerLike } from './agent-connector.ts';
import type { SessionEvents, SessionPhase } from './session-connector.ts';

class FakeSession extends Emitter<AgentSessionEvents> {
  readonly options: AgentSessionOptions;
  asked: RemotePermission[][] = [];
  sent: DataChannelMessage[] = [];
  calls: string[] = [];
  constructor(options: AgentSessionOptions) {
    super();
    this.options = options;
  }
  fire<K extends keyof AgentSessionEvents>(event: K, ...args: AgentSessionEvents[K]): void {
    this.emit(event, ...args);
  }
  start() {
    this.calls.push('start');
  }
  connect(permissions: RemotePermission[]) {
    this.asked.push(permissions);
    return true;
  }
  send(message: DataChannelMessage) {
    this.sent.push(message);
    return true;
  }
  endSession() {
    this.calls.push('endSession');
  }
  close() {
    this.calls.push('close');
  }
}

class FakeSampler extends Emitter<{ sample: [RawStats] }> implements SamplerLike {
  running = false;
  fire(stats: RawStats) {
    this.emit('sample', stats);
  }
  start() {
    this.running = true;
  }
  stop() {
    this.running = false;
  }
}

const transport = {} as FileTransport;
const fakePeer = { filesTransport: () => transport } as unknown as Peer;

function setup(openTimeoutMs = 5_000) {
  const sessions: FakeSession[] = [];
  const samplers: FakeSampler[] = [];
  const connector = createAgentConnector({
    brokerUrl: () => 'http://broker.test',
    token: () => undefined,
    createSession: (o) => {
      const s = new FakeSession(o);
      sessions.push(s);
      return s;
    },
    createSampler: () => {
      const s = new FakeSampler();
      samplers.push(s);
      return s;
    },
    openTimeoutMs,
  });
  const log: string[] = [];
  const phases: [SessionPhase, string | undefined][] = [];
  const events: SessionEvents = {
    phase: (p, r) => phases.push([p, r]),
    stream: (s) => log.push(s ? 'stream' : 'no stream'),
    stats: (s) => log.push(`stats ${s.fps} ${s.relayed}`),
    verificationCode: (c) => log.push(`code ${c}`),
    permissions: (p) => log.push(`allowed ${p.join(',')}`),
    message: (m) => log.push(`message ${m.type}`),
    files: (t) => log.push(t ? 'files' : 'no files'),
  };
  const handle = connector.connect({ id: 'req-1', permissions: ['view', 'control'] }, events);
  const session = sessions[0]!;
  return { session, samplers, handle, log, phases };
}

const raw = (fps: number | null): RawStats => ({
  at: 0,
  direction: 'inbound',
  fps,
  bitrateKbps: 1200,
  rttMs: null,
  packetLossPct: 0,
  relayed: null,
  framesDecoded: null,
  framesEncoded: null,
  framesDropped: null,
  frameWidth: null,
  frameHeight: null,
  bytesReceived: null,
  bytesSent: null,
  availableOutgoingKbps: null,
});

describe('agent connector', () => {
  it('asks with the request permissions once the broker welcomed it, then goes live', () => {
    const { session, samplers, handle, log, phases } = setup();
    assert.equal(session.options.requestId, 'req-1');
    assert.equal(session.options.token, undefined, 'the browser signs in with its cookie');
    assert.deepEqual(session.calls, ['start']);
    handle.send({ type: 'sysinfo_request' });
    assert.equal(session.sent.length, 0, 'nothing is sent before the session is live');

    session.fire('status', 'waiting');
    assert.deepEqual(session.asked, [['view', 'control']]);
    assert.deepEqual(phases.at(-1), ['awaiting_consent', undefined]);
    session.fire('status', 'ready');
    assert.equal(session.asked.length, 1, 'asked once');

    session.fire('consent', { granted: true, permissions: ['view'], reason: 'user' });
    session.fire('phase', 'connecting');
    session.fire('live', { relayed: true, verificationCode: '042 917', peer: fakePeer });
    session.fire('phase', 'live');
    assert.deepEqual(
      phases.map(([p]) => p),
      ['awaiting_consent', 'connecting', 'connected'],
    );
    assert.equal(samplers[0]?.running, true);
    samplers[0]?.fire(raw(null));
    samplers[0]?.fire(raw(29.5));
    session.fire('message', { type: 'monitor_stop' });
    handle.send({ type: 'sysinfo_request' });
    assert.deepEqual(session.sent, [{ type: 'sysinfo_request' }]);
    // An ICE restart reports the same peer again: no second channel or sampler.
    session.fire('live', { relayed: true, verificationCode: '042 917', peer: fakePeer });
    assert.equal(samplers.length, 1);
    assert.deepEqual(log, [
      'allowed view',
      'code 042 917',
      'files',
      'stats 0 true',
      'stats 29.5 true',
      'message monitor_stop',
      'code 042 917',
    ]);

    handle.end();
    assert.deepEqual(session.calls, ['start', 'endSession', 'close']);
    assert.deepEqual(phases.at(-1), ['ended', 'agent_ended']);
    assert.equal(samplers[0]?.running, false);
    assert.deepEqual(log.slice(-2), ['no files', 'no stream']);
    session.fire('ended', { reason: 'late' });
    assert.equal(phases.filter(([p]) => p === 'ended').length, 1, 'one final phase');
  });

  it('a deny and a timeout fail at once, and close signaling', () => {
    for (const [reason, token] of [
      ['user', 'denied'],
      ['timeout', 'timeout'],
    ] as const) {
      const { session, phases } = setup();
      session.fire('status', 'waiting');
      session.fire('consent', { granted: false, permissions: null, reason });
      assert.deepEqual(phases.at(-1), ['failed', token]);
      assert.ok(session.calls.includes('close'));
    }
  });

  it('refuses a request that cannot be connected, and reports broker refusals', () => {
    const expired = setup();
    expired.session.fire('status', 'expired');
    assert.deepEqual(expired.phases.at(-1), ['failed', 'not_connectable']);
    assert.equal(expired.session.asked.length, 0);

    const away = setup();
    away.session.fire('status', 'waiting');
    away.session.fire('refused', { code: 'peer_absent', message: 'the customer has not joined' });
    assert.deepEqual(away.phases.at(-1), ['failed', 'peer_absent']);
  });

  it('ends when the request is closed while live, and fails when the broker never answers', async () => {
    const { session, phases } = setup();
    session.fire('status', 'waiting');
    session.fire('consent', { granted: true, permissions: ['view', 'control'], reason: 'user' });
    session.fire('live', { relayed: false, verificationCode: '', peer: fakePeer });
    session.fire('status', 'closed');
    assert.deepEqual(phases.at(-1), ['ended', 'request closed']);

    const silent = setup(20);
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(silent.phases.at(-1), ['failed', 'unreachable']);
    assert.ok(silent.session.calls.includes('close'));
  });
});
