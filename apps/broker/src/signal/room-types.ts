import type {
  Actor,
  BrokerSignalMessage,
  ConsentGrant,
  HostKind,
  PeerRole,
  RemotePermission,
  SessionStatus,
} from '@beckon/protocol';
import type { RequestService } from '../domain/request-service.ts';
import type { Storage } from '../storage/types.ts';

// What a room is made of and works with: its peers, its dependencies, the
// consent it holds and the question it is asking (room.ts has the rules).

/** How long the end user has to answer; the assist client denies on its own at 60 s, this is the backstop. */
export const CONSENT_TIMEOUT_SEC = 60;
export const CONSENT_BACKSTOP_MS = (CONSENT_TIMEOUT_SEC + 5) * 1000;

/** One end of a room, as the room sees it: it can be told things and be shut. */
export interface RoomPeer {
  role: PeerRole;
  actor: Actor;
  /** The host's kind, from its hello (assist only). */
  host?: HostKind;
  /** Where it connected from, for the audit log. */
  ip: string | null;
  send(message: BrokerSignalMessage): void;
  /** Sends a frame as it came: a validated `signal` frame is byte for byte the broker's own. */
  sendRaw(text: string): void;
  close(code: number, reason: string): void;
}

export interface RoomDeps {
  requests: RequestService;
  storage: Storage;
  graceMs: number;
  log: { warn(obj: object, msg: string): void };
  /**
   * The unattended-access grant an agent's connect to a managed host was
   * admitted by (UA7), as the consent policy reads it; null for every other
   * request. The room only uses it to accept the host's `grant` answer.
   */
  grantFor?: (requestId: string, agentId: string) => Promise<ConsentGrant | null>;
}

export const SYSTEM: Actor = { type: 'system', id: null, name: null };
export const ACTIVE: ReadonlySet<SessionStatus> = new Set(['ready', 'in_session']);

/** The consent the end user gave: to one agent (by user id), for these permissions. */
export interface Consent {
  agent: Actor;
  permissions: RemotePermission[];
  /** When that agent's socket dropped (its grace window runs); null while it is here. */
  droppedAtMs: number | null;
}

/** The one question the end user is being asked. */
export interface Pending {
  id: string;
  agent: Actor;
  permissions: RemotePermission[];
  /** How the consent policy lets the host admit this agent without a prompt, if it does. */
  admitBy: 'grace' | 'grant' | null;
  timer: NodeJS.Timeout;
  /** What the host was asked, and when: asked again if its socket drops and comes back. */
  question: Extract<BrokerSignalMessage, { type: 'consent_request' }>;
  askedAtMs: number;
}
