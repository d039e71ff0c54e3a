import { randomUUID } from 'node:crypto';
import {
  AgentSignalMessageSchema,
  AssistSignalMessageSchema,
  CloseCode,
  parseJsonFrame,
  SIGNAL_MAX_FRAME_BYTES,
  type AgentSignalMessage,
  type AssistSignalMessage,
  type ClusterMessage,
  type PeerRole,
} from '@beckon/protocol';
import type { RequestRecord } from '../storage/types.ts';
import type { Room } from './room.ts';
import type { RoomPeer } from './room-types.ts';
import type { SignalCluster } from './signal-cluster.ts';

/** How often leases are renewed and relayed peers checked; a dead owner is noticed within a lease. */
export const RELAY_TICK_MS = 1000;

export type SignalMessage = AgentSignalMessage | AssistSignalMessage;

/** Where a socket's frames go once it said hello: its room here, or the owner elsewhere. */
export interface RoomHandle {
  deliver(message: SignalMessage, raw: string): void;
  leave(intentional: boolean): void;
}

/** What the relay needs of the hub: its rooms, and the welcome it sends. */
export interface RelayHost {
  /** The request's room here, made if needed. */
  room(record: RequestRecord): Room;
  roomIds(): string[];
  /** The request as stored now, if a peer may still join it. */
  record(orgId: string, requestId: string): Promise<RequestRecord | null>;
  welcome(room: Room, peer: RoomPeer, record: RequestRecord): void;
  log: { warn(obj: object, msg: string): void };
}

/** A socket on this broker whose room is held by another broker. */
interface Link {
  id: string;
  peer: RoomPeer;
  record: RequestRecord;
  owner: string;
  /** Set once the room moved here (its owner died). */
  local: Room | null;
  /** Whether the peer has its welcome: a rejoin after a move must not send a second one. */
  welcomed: boolean;
}

/** A peer on another broker, in a room held here. */
interface Guest {
  from: string;
  peer: RoomPeer;
  room: Room;
}

/**
 * Rooms that span brokers. A room lives on one broker, the first to claim it,
 * and the consent gate is that room's, unchanged: whatever the other broker's
 * peer says reaches it as the frame the peer sent, and the room answers it
 * through a `RoomPeer` that is a message on the bus. When the owner dies, its
 * lease runs out; a broker with a peer of that room claims it and builds the
 * room again from storage (as after a restart), and the other peers move to it.
 */
export class RoomRelay {
  private readonly cluster: SignalCluster;
  private readonly host: RelayHost;
  private readonly links = new Map<string, Link>();
  private readonly guests = new Map<string, Guest>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private ticking = false;

  constructor(cluster: SignalCluster, host: RelayHost) {
    this.cluster = cluster;
    this.host = host;
    this.unsubscribe = cluster.onMessage(
      (m) =>
        void this.received(m).catch((err: unknown) => {
          host.log.warn({ err, t: m.t }, 'signaling relay message failed');
        }),
    );
    this.timer = setInterval(() => void this.tick(), RELAY_TICK_MS).unref();
    void cluster.renew([]);
  }

  get brokerId(): string {
    return this.cluster.brokerId;
  }

  /** A peer said hello here: into the room, wherever it is held. */
  async enter(peer: RoomPeer, record: RequestRecord): Promise<RoomHandle | null> {
    const owner = await this.cluster.claim(record.id);
    if (owner === this.cluster.brokerId) {
      const room = this.joinLocal(peer, record, false);
      return room && localHandle(room, peer);
    }
    const link: Link = { id: randomUUID(), peer, record, owner, local: null, welcomed: false };
    this.links.set(link.id, link);
    this.sendJoin(link);
    return {
      deliver: (message, raw) => {
        if (link.local) void deliverTo(link.local, peer, message, raw);
        else
          this.cluster.send(link.owner, {
            t: 'frame',
            from: this.brokerId,
            room: record.id,
            peer: link.id,
            raw,
          });
      },
      leave: (intentional) => {
        this.links.delete(link.id);
        if (link.local) link.local.leave(peer, intentional);
        else
          this.cluster.send(link.owner, {
            t: 'leave',
            from: this.brokerId,
            room: record.id,
            peer: link.id,
            intentional,
          });
      },
    };
  }

  /** Lets a room go once it is forgotten here. */
  released(requestId: string): void {
    void this.cluster.release(requestId).catch(() => {});
  }

  private joinLocal(peer: RoomPeer, record: RequestRecord, rejoin: boolean): Room | null {
    const room = this.host.room(record);
    if (room.has(peer.role)) {
      peer.close(CloseCode.ROOM_FULL, `another ${peer.role} is connected`);
      return null;
    }
    if (!rejoin) this.host.welcome(room, peer, record);
    else {
      // A peer moved to a rebuilt room has no new welcome: it is told what one would have said.
      peer.send({ type: 'status', status: room.currentStatus() });
      const other = peer.role === 'agent' ? 'assist' : 'agent';
      const kind = room.hostKind();
      if (room.peerPresent(peer.role))
        peer.send({
          type: 'peer',
          role: other,
          present: true,
          ...(other === 'assist' && kind ? { host: kind } : {}),
        });
    }
    void room.join(peer);
    return room;
  }

  private sendJoin(link: Link): void {
    const { peer, record } = link;
    this.cluster.send(link.owner, {
      t: 'join',
      from: this.brokerId,
      room: record.id,
      org: record.orgId,
      peer: link.id,
      role: peer.role,
      actor: peer.actor,
      ip: peer.ip,
      ...(peer.host ? { host: peer.host } : {}),
      rejoin: link.welcomed,
    });
  }

  private async received(m: ClusterMessage): Promise<void> {
    switch (m.t) {
      case 'send': {
        const link = this.links.get(m.peer);
        if (!link) return;
        link.welcomed = true;
        return link.peer.sendRaw(m.raw);
      }
      case 'close':
        return this.links.get(m.peer)?.peer.close(m.code, m.reason);
      case 'join':
        return this.guestJoins(m);
      case 'frame': {
        const guest = this.guests.get(`${m.from}/${m.peer}`);
        if (!guest) return;
        const message = parseFrame(guest.peer.role, m.raw);
        if (message) void deliverTo(guest.room, guest.peer, message, m.raw);
        return;
      }
      case 'leave': {
        const key = `${m.from}/${m.peer}`;
        const guest = this.guests.get(key);
        this.guests.delete(key);
        guest?.room.leave(guest.peer, m.intentional);
        return;
      }
      default:
        return;
    }
  }

  private async guestJoins(m: Extract<ClusterMessage, { t: 'join' }>): Promise<void> {
    const to = m.from;
    const peer: RoomPeer = {
      role: m.role,
      actor: m.actor,
      ip: m.ip,
      ...(m.host ? { host: m.host } : {}),
      send: (message) => this.cluster.send(to, { t: 'send', peer: m.peer, raw: JSON.stringify(message) }),
      sendRaw: (raw) => this.cluster.send(to, { t: 'send', peer: m.peer, raw }),
      close: (code, reason) => this.cluster.send(to, { t: 'close', peer: m.peer, code, reason }),
    };
    const record = await this.host.record(m.org, m.room);
    if (!record) return peer.close(CloseCode.REQUEST_ENDED, 'request ended');
    if ((await this.cluster.claim(m.room)) !== this.brokerId)
      // Not ours any more: the peer's broker notices the new owner on its next check.
      return;
    const room = this.joinLocal(peer, record, m.rejoin);
    if (room) this.guests.set(`${m.from}/${m.peer}`, { from: m.from, peer, room });
  }

  /** Renews this broker's leases, moves peers whose owner is gone, drops guests whose broker died. */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.cluster.renew(this.host.roomIds());
      for (const link of this.links.values()) {
        if (link.local) continue;
        const owner = await this.cluster.ownerOf(link.record.id);
        if (owner === link.owner) continue;
        const now = await this.cluster.claim(link.record.id);
        if (!this.links.has(link.id)) continue;
        if (now === this.brokerId) {
          // The room is rebuilt from the request as stored now, not as it was when this peer
          // came: a consent given since then is what keeps the session (ready/in_session).
          const record = await this.host.record(link.record.orgId, link.record.id);
          if (!this.links.has(link.id)) continue;
          if (!record) {
            this.links.delete(link.id);
            link.peer.close(CloseCode.REQUEST_ENDED, 'request ended');
            continue;
          }
          link.record = record;
          link.local = this.joinLocal(link.peer, record, link.welcomed);
          link.welcomed = true;
        } else {
          link.owner = now;
          this.sendJoin(link);
        }
      }
      const froms = [...new Set([...this.guests.values()].map((g) => g.from))];
      if (froms.length === 0) return;
      const alive = await this.cluster.alive(froms);
      for (const [key, g] of this.guests) {
        if (alive.has(g.from)) continue;
        // The broker holding that socket died: a drop, so the grace window applies.
        this.guests.delete(key);
        g.room.leave(g.peer, false);
      }
    } catch (err) {
      this.host.log.warn({ err }, 'signaling relay check failed');
    } finally {
      this.ticking = false;
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
  }
}

function localHandle(room: Room, peer: RoomPeer): RoomHandle {
  return {
    deliver: (message, raw) => void deliverTo(room, peer, message, raw),
    leave: (intentional) => room.leave(peer, intentional),
  };
}

function deliverTo(room: Room, peer: RoomPeer, message: SignalMessage, raw: string): Promise<void> {
  return peer.role === 'agent'
    ? room.agentMessage(peer, message as AgentSignalMessage, raw)
    : room.assistMessage(peer, message as AssistSignalMessage, raw);
}

function parseFrame(role: PeerRole, raw: string): SignalMessage | null {
  const parsed =
    role === 'agent'
      ? parseJsonFrame(AgentSignalMessageSchema, raw, SIGNAL_MAX_FRAME_BYTES)
      : parseJsonFrame(AssistSignalMessageSchema, raw, SIGNAL_MAX_FRAME_BYTES);
  return parsed.ok ? parsed.value : null;
}
