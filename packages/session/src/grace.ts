import { RECONNECT_GRACE_MS, type AssistSignalMessage, type RemotePermission } from '@beckon/protocol';

/**
 * The host's memory of the consent it gave, so a connection that dropped (a
 * Wi-Fi blip, the agent's app restarting) can come back without asking the
 * person again, but only briefly, only for the same agent and never for
 * more than was granted. Outside those limits the normal prompt applies.
 */
export interface GraceGrant {
  /** Who was allowed: a stable id for the agent as the host knows it. */
  agent: string;
  permissions: RemotePermission[];
}

export type GraceRefusal =
  | 'no_grant' // nothing was allowed, or the grant was revoked
  | 'not_dropped' // the grant is for a live connection, not one coming back
  | 'expired' // the drop is older than the grace window
  | 'other_agent'
  | 'wider_permissions';

export type GraceDecision =
  | {
      admit: true;
      permissions: RemotePermission[];
      /** The consent frame to send to the broker instead of prompting. */
      consent: Extract<AssistSignalMessage, { type: 'consent' }>;
    }
  | { admit: false; reason: GraceRefusal };

export interface ReconnectGraceOptions {
  now?: () => number;
  graceMs?: number;
}

export class ReconnectGrace {
  private readonly now: () => number;
  private readonly graceMs: number;
  private current: GraceGrant | null = null;
  private droppedAtMs: number | null = null;

  constructor(options: ReconnectGraceOptions = {}) {
    this.now = options.now ?? Date.now;
    this.graceMs = options.graceMs ?? RECONNECT_GRACE_MS;
  }

  get grant(): GraceGrant | null {
    return this.current && { agent: this.current.agent, permissions: [...this.current.permissions] };
  }

  get droppedAt(): number | null {
    return this.droppedAtMs;
  }

  /** The person pressed Allow: remember who got what. */
  granted(agent: string, permissions: readonly RemotePermission[]): void {
    this.current = { agent, permissions: [...permissions] };
    this.droppedAtMs = null;
  }

  /** The peer connection (or the agent's signaling) dropped; the window starts at the first drop. */
  dropped(): void {
    if (this.current && this.droppedAtMs === null) this.droppedAtMs = this.now();
  }

  /** The same connection recovered by itself (an ICE restart): no window is running any more. */
  recovered(): void {
    this.droppedAtMs = null;
  }

  /** The person stopped the session, or denied: nothing may come back without asking. */
  revoke(): void {
    this.current = null;
    this.droppedAtMs = null;
  }

  /**
   * Asks whether a new connect request may skip the prompt. Admitting narrows
   * the grant to what was asked this time and closes the window, so the next
   * drop starts a fresh one and never widens anything.
   */
  check(agent: string, requested: readonly RemotePermission[]): GraceDecision {
    const grant = this.current;
    if (!grant) return { admit: false, reason: 'no_grant' };
    if (this.droppedAtMs === null) return { admit: false, reason: 'not_dropped' };
    if (this.now() - this.droppedAtMs > this.graceMs) {
      // Past the window the old consent is worth nothing, also for later requests.
      this.revoke();
      return { admit: false, reason: 'expired' };
    }
    if (grant.agent !== agent) return { admit: false, reason: 'other_agent' };
    if (!requested.every((p) => grant.permissions.includes(p)))
      return { admit: false, reason: 'wider_permissions' };
    const permissions = [...requested];
    this.current = { agent, permissions };
    this.droppedAtMs = null;
    return {
      admit: true,
      permissions,
      consent: { type: 'consent', granted: true, permissions: [...permissions], reason: 'grace' },
    };
  }
}
