import {
  HOST_LIST_CHUNK,
  type ClusterMessage,
  type HostClientMessage,
  type HostPresenceInfo,
  type HostServerMessage,
  type SystemInfo,
} from '@beckon/protocol';
import type { HostPresenceView } from '../domain/host-service.ts';
import type { SignalCluster } from '../signal/signal-cluster.ts';
import type { HostHub } from './host-hub.ts';

/** What the relay uses of this broker's own host sockets. */
export type LocalHosts = Pick<
  HostHub,
  'isOnline' | 'presenceOf' | 'lastSeenOf' | 'revoke' | 'offer' | 'systemInfo' | 'connected'
>;

type GrantMessage = Extract<HostClientMessage, { type: 'grant_answer' | 'grant_revoked' }>;

export interface HostRelayOptions {
  /** A host's word on a grant this broker asked for (wherever its socket is). */
  onGrant: (hostId: string, message: GrantMessage) => void;
  log: { warn(obj: object, msg: string): void };
  /** How long the holder waits for a host's system information; the asker waits a little longer. */
  sysinfoTimeoutMs?: number;
  /** How often hosts of dead brokers are forgotten and a roll call is held (tests shorten it). */
  tickMs?: number;
  rollCallMs?: number;
}

/** A grant question is answered within minutes (GrantService waits five); its route back is kept a little longer. */
const GRANT_ROUTE_MS = 6 * 60_000;
const TICK_MS = 1000;
/** Pub/sub loses what is published while a subscriber reconnects: a roll call now and then heals that. */
const ROLL_CALL_MS = 5 * 60_000;

/**
 * Managed hosts' sockets across brokers. A host is connected to one broker
 * (its holder); every broker keeps a map of the hosts the others hold, from
 * their `host_on` / `host_off` (and a roll call after its start), so that
 * "is it online" stays a lookup in memory. What is said to a host held
 * elsewhere goes to its holder on the bus (`host_send`), which puts it on the
 * socket; a system-information question carries a correlation id and the
 * asker's own timeout; a grant question remembers who asked, so the host's
 * answer goes back to the broker whose agent is waiting; a revocation goes to
 * every broker, so the socket closes at once wherever it is.
 */
export class HostRelay implements HostPresenceView {
  private readonly hub: LocalHosts;
  private readonly cluster: SignalCluster;
  private readonly o: HostRelayOptions;
  /** Hosts whose socket is on another broker: host id → holder and reported presence. */
  private readonly remote = new Map<string, { broker: string; presence: HostPresenceInfo | null }>();
  /** System-information questions waiting for another broker's answer. */
  private readonly asking = new Map<string, (info: SystemInfo | null) => void>();
  /** Grant questions asked here for another broker: grant id → that broker, until when. */
  private readonly grantRoutes = new Map<string, { broker: string; until: number }>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private lastRollCall = 0;
  private ticking = false;

  constructor(hub: LocalHosts, cluster: SignalCluster, o: HostRelayOptions) {
    this.hub = hub;
    this.cluster = cluster;
    this.o = o;
    this.unsubscribe = cluster.onMessage((m) => {
      try {
        this.received(m);
      } catch (err) {
        o.log.warn({ err, t: m.t }, 'host relay message failed');
      }
    });
    // The first roll call waits for the first tick: by then the bus subscription is in place.
    this.timer = setInterval(() => void this.tick(), o.tickMs ?? TICK_MS).unref();
  }

  private get me(): string {
    return this.cluster.brokerId;
  }

  /** The local hub's news (a host came, went or reported presence here), for the other brokers. */
  localChanged(hostId: string): void {
    if (this.hub.isOnline(hostId)) {
      this.remote.delete(hostId);
      this.cluster.broadcast({
        t: 'host_on',
        from: this.me,
        host: hostId,
        presence: this.hub.presenceOf(hostId),
      });
    } else this.cluster.broadcast({ t: 'host_off', from: this.me, host: hostId });
  }

  /** A host's word on a grant, from its socket here: to the broker that asked, or handled here. */
  fromHost(hostId: string, message: GrantMessage): void {
    const route = this.grantRoutes.get(message.grantId);
    if (!route) return this.o.onGrant(hostId, message);
    this.grantRoutes.delete(message.grantId);
    // The asker may have died meanwhile: then the answer is recorded here (storage is shared).
    void this.cluster.alive([route.broker]).then(
      (alive) =>
        alive.has(route.broker)
          ? this.cluster.send(route.broker, { t: 'host_grant', host: hostId, message })
          : this.o.onGrant(hostId, message),
      () => this.o.onGrant(hostId, message),
    );
  }

  isOnline(hostId: string): boolean {
    return this.hub.isOnline(hostId) || this.remote.has(hostId);
  }

  presenceOf(hostId: string): HostPresenceInfo | null {
    if (this.hub.isOnline(hostId)) return this.hub.presenceOf(hostId);
    return this.remote.get(hostId)?.presence ?? null;
  }

  lastSeenOf(hostId: string): string | null {
    return this.hub.lastSeenOf(hostId);
  }

  /** Closes the host's socket at once wherever it is (every broker is told: a stale map cannot miss it). */
  revoke(hostId: string): void {
    this.hub.revoke(hostId);
    this.remote.delete(hostId);
    this.cluster.broadcast({ t: 'host_revoke', from: this.me, host: hostId });
  }

  offer(hostId: string, message: HostServerMessage): boolean {
    if (this.hub.isOnline(hostId)) return this.hub.offer(hostId, message);
    const holder = this.remote.get(hostId);
    if (!holder) return false;
    this.cluster.send(holder.broker, { t: 'host_send', from: this.me, host: hostId, message });
    return true;
  }

  systemInfo(hostId: string, id: string): Promise<SystemInfo | null> {
    const timeoutMs = this.o.sysinfoTimeoutMs ?? 10_000;
    if (this.hub.isOnline(hostId)) return this.hub.systemInfo(hostId, id, timeoutMs);
    const holder = this.remote.get(hostId);
    if (!holder) return Promise.resolve(null);
    return new Promise((resolve) => {
      // The holder answers null after its own timeout; this one covers a holder that died.
      const timer = setTimeout(() => this.asking.get(id)?.(null), timeoutMs + 2000);
      this.asking.set(id, (info) => {
        clearTimeout(timer);
        this.asking.delete(id);
        resolve(info);
      });
      this.cluster.send(holder.broker, { t: 'host_sysinfo_ask', from: this.me, host: hostId, id });
    });
  }

  private received(m: ClusterMessage): void {
    switch (m.t) {
      case 'host_on':
        if (m.from !== this.me) this.remote.set(m.host, { broker: m.from, presence: m.presence });
        return;
      case 'host_off':
        if (this.remote.get(m.host)?.broker === m.from) this.remote.delete(m.host);
        return;
      case 'host_roll_call':
        return this.answerRollCall(m.from);
      case 'host_list':
        if (m.first) for (const [id, r] of this.remote) if (r.broker === m.from) this.remote.delete(id);
        for (const h of m.hosts)
          if (!this.hub.isOnline(h.id)) this.remote.set(h.id, { broker: m.from, presence: h.presence });
        return;
      case 'host_send':
        return this.deliver(m.from, m.host, m.message);
      case 'host_sysinfo_ask': {
        const to = m.from;
        const answer = (info: SystemInfo | null) =>
          this.cluster.send(to, { t: 'host_sysinfo', id: m.id, info });
        if (!this.hub.isOnline(m.host)) return answer(null);
        void this.hub
          .systemInfo(m.host, m.id, this.o.sysinfoTimeoutMs ?? 10_000)
          .then(answer, () => answer(null));
        return;
      }
      case 'host_sysinfo':
        return this.asking.get(m.id)?.(m.info);
      case 'host_grant':
        if (m.message.type === 'grant_answer' || m.message.type === 'grant_revoked')
          this.o.onGrant(m.host, m.message);
        return;
      case 'host_revoke':
        this.remote.delete(m.host);
        return this.hub.revoke(m.host);
      default:
        return;
    }
  }

  /** Another broker's word for a host held here. */
  private deliver(from: string, hostId: string, message: HostServerMessage): void {
    const sent = this.hub.offer(hostId, message);
    if (message.type !== 'grant_request') return;
    if (sent) {
      this.grantRoutes.set(message.grantId, { broker: from, until: Date.now() + GRANT_ROUTE_MS });
      return;
    }
    // Gone between the asker's look and now: the asker settles it at once, as it would here.
    this.cluster.send(from, {
      t: 'host_grant',
      host: hostId,
      message: { type: 'grant_answer', grantId: message.grantId, approved: false, why: 'no_session' },
    });
  }

  private answerRollCall(to: string): void {
    let chunk: { id: string; presence: HostPresenceInfo | null }[] = [];
    let first = true;
    const flush = () => {
      this.cluster.send(to, { t: 'host_list', from: this.me, first, hosts: chunk });
      first = false;
      chunk = [];
    };
    for (const h of this.hub.connected()) {
      chunk.push(h);
      if (chunk.length === HOST_LIST_CHUNK) flush();
    }
    // Also when empty: `first` clears what the asker still thought this broker held.
    if (chunk.length > 0 || first) flush();
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = Date.now();
      if (now - this.lastRollCall >= (this.o.rollCallMs ?? ROLL_CALL_MS)) {
        this.lastRollCall = now;
        this.cluster.broadcast({ t: 'host_roll_call', from: this.me });
      }
      for (const [id, r] of this.grantRoutes) if (r.until < now) this.grantRoutes.delete(id);
      // A broker killed without a word: its hosts are offline here once its liveness lease runs out.
      const holders = new Set<string>();
      for (const r of this.remote.values()) holders.add(r.broker);
      if (holders.size === 0) return;
      const alive = await this.cluster.alive([...holders]);
      for (const [id, r] of this.remote) if (!alive.has(r.broker)) this.remote.delete(id);
    } catch (err) {
      this.o.log.warn({ err }, 'host relay tick failed');
    } finally {
      this.ticking = false;
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    for (const resolve of this.asking.values()) resolve(null);
  }
}
