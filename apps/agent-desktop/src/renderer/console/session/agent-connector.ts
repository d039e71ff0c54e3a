import { canConnect, isFinal, type DataChannelMessage, type RemotePermission } from '@beckon/protocol';
import {
  AgentSession,
  StatsSampler,
  type AgentSessionEvents,
  type AgentSessionOptions,
  type Peer,
  type SessionStats as RawStats,
} from '@beckon/session';
import type { SessionConnector, SessionStats } from './session-connector.ts';
import { SessionReason } from './session-reasons.ts';

/** The part of `AgentSession` the connector drives (a fake stands in for it in unit tests). */
export interface AgentSessionLike {
  on<K extends keyof AgentSessionEvents>(
    event: K,
    listener: (...args: AgentSessionEvents[K]) => void,
  ): () => void;
  start(): void;
  connect(permissions: RemotePermission[]): boolean;
  /** Picks the channel by type (pointer moves ride the unreliable one); false when not live. */
  send(message: DataChannelMessage): boolean;
  endSession(): void;
  close(): void;
}

export interface SamplerLike {
  on(event: 'sample', listener: (stats: RawStats) => void): () => void;
  start(): void;
  stop(): void;
}

export interface AgentConnectorOptions {
  /** The broker's base URL: this page's origin in the web console, the chosen broker in the desktop app. */
  brokerUrl(): string;
  /** The desktop app's bearer token; the web console signs in with its cookie (undefined). */
  token(): string | undefined;
  createSession?(options: AgentSessionOptions): AgentSessionLike;
  createSampler?(peer: Peer): SamplerLike;
  /**
   * How long to wait for the broker's welcome. A browser cannot see why an
   * upgrade was refused (it gets 1006 and the client retries), so a request
   * that cannot be reached fails after this instead of spinning forever.
   */
  openTimeoutMs?: number;
  statsIntervalMs?: number;
}

const OPEN_TIMEOUT_MS = 10_000;

/**
 * Connect on `@beckon/session`'s AgentSession: open signaling, ask the end
 * user (with the request's own permissions) once the broker says the request
 * can be connected, then hand the console the video, the stats, the
 * verification code, the host's replies and the files channel. Every way it
 * can end reports one final phase exactly once and closes signaling, so a
 * deny or a timeout shows at once and nothing lingers.
 */
export function createAgentConnector(options: AgentConnectorOptions): SessionConnector {
  const createSession = options.createSession ?? ((o: AgentSessionOptions) => new AgentSession(o));
  const createSampler =
    options.createSampler ??
    ((peer: Peer) => new StatsSampler(peer, { intervalMs: options.statsIntervalMs ?? 1000 }));

  return {
    connect(target, events) {
      const session = createSession({
        brokerUrl: options.brokerUrl(),
        requestId: target.id,
        token: options.token(),
      });
      let over = false;
      let asked = false;
      let live = false;
      let relayed = false;
      let peer: Peer | null = null;
      let sampler: SamplerLike | null = null;
      const offs: (() => void)[] = [];

      const stopLive = () => {
        sampler?.stop();
        sampler = null;
        if (peer) events.files(null);
        peer = null;
      };
      const finish = (phase: 'ended' | 'failed', reason: string) => {
        if (over) return;
        over = true;
        clearTimeout(openTimer);
        stopLive();
        events.stream(null);
        for (const off of offs.splice(0)) off();
        events.phase(phase, reason);
        session.close();
      };
      const openTimer = setTimeout(
        () => finish('failed', SessionReason.UNREACHABLE),
        options.openTimeoutMs ?? OPEN_TIMEOUT_MS,
      );

      offs.push(
        // The first status comes with the broker's welcome: only then may Connect be sent.
        session.on('status', (status) => {
          // Closed or expired meanwhile: say why now, not when the socket closes after it.
          if (asked && isFinal(status)) return finish(live ? 'ended' : 'failed', `request ${status}`);
          if (asked) return;
          clearTimeout(openTimer);
          if (!canConnect(status)) return finish('failed', SessionReason.NOT_CONNECTABLE);
          asked = true;
          events.phase('awaiting_consent');
          if (!session.connect([...target.permissions])) finish('failed', SessionReason.UNREACHABLE);
        }),
        session.on('host', (kind) => events.host?.(kind)),
        session.on('phase', (phase) => {
          if (phase === 'connecting') events.phase('connecting');
          else if (phase === 'live') events.phase('connected');
        }),
        session.on('consent', ({ granted, permissions, reason }) => {
          if (!granted)
            return finish('failed', reason === 'timeout' ? SessionReason.TIMEOUT : SessionReason.DENIED);
          events.permissions(permissions ?? target.permissions);
        }),
        session.on('live', (info) => {
          live = true;
          relayed = info.relayed;
          if (info.verificationCode) events.verificationCode(info.verificationCode);
          // An ICE restart reports the same peer live again: keep its channel and sampler.
          if (peer === info.peer) return;
          stopLive();
          peer = info.peer;
          events.files(info.peer.filesTransport());
          const s = createSampler(info.peer);
          s.on('sample', (raw) => events.stats(toStats(raw, relayed)));
          s.start();
          sampler = s;
        }),
        session.on('stream', (stream) => events.stream(stream)),
        session.on('message', (message) => events.message(message)),
        session.on('ended', ({ reason }) => finish('ended', reason)),
        session.on('refused', ({ code }) => {
          // Refusals during a live session (a late signal) do not end it.
          if (!live) finish('failed', code);
        }),
        session.on('closed', ({ reason }) =>
          finish(live ? 'ended' : 'failed', reason || SessionReason.CLOSED),
        ),
      );
      session.start();

      return {
        send(message) {
          if (!over && peer) session.send(message);
        },
        end() {
          if (over) return;
          session.endSession();
          finish('ended', SessionReason.AGENT_ENDED);
        },
      };
    },
  };
}

/** The engine's sample (nulls where the report says nothing) as the stats bar shows it. */
export function toStats(raw: RawStats, relayed: boolean): SessionStats {
  return {
    fps: raw.fps ?? 0,
    bitrateKbps: raw.bitrateKbps ?? 0,
    rttMs: raw.rttMs ?? 0,
    packetLossPct: raw.packetLossPct ?? 0,
    relayed: raw.relayed ?? relayed,
  };
}
