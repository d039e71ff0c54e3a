import {
  decideConsent,
  RECONNECT_GRACE_MS,
  type ConsentAgent,
  type ConsentDecision,
  type ConsentGrant,
  type HeldConsent,
  type RemotePermission,
} from '@beckon/protocol';

/**
 * The host's memory of the consent it gave, so a connection that dropped (a
 * Wi-Fi blip, the agent's app restarting) can come back without asking the
 * person again. Whether it may is the protocol's consent policy
 * (`decideConsent`): only the same user (by id, never by name), only within
 * the window, never for more than was granted.
 */
export interface ReconnectGraceOptions {
  now?: () => number;
  graceMs?: number;
  /** The standing grant this host holds now, if any (a temporary host's activated ad-hoc session). */
  grant?: () => ConsentGrant | null;
}

export class ReconnectGrace {
  private readonly now: () => number;
  private readonly graceMs: number;
  private readonly grant: () => ConsentGrant | null;
  private current: { agentId: string; permissions: RemotePermission[] } | null = null;
  private droppedAtMs: number | null = null;

  constructor(options: ReconnectGraceOptions = {}) {
    this.now = options.now ?? Date.now;
    this.graceMs = options.graceMs ?? RECONNECT_GRACE_MS;
    this.grant = options.grant ?? (() => null);
  }

  /** What the person allowed and still holds, as the consent policy reads it. */
  get held(): HeldConsent | null {
    if (this.current && this.droppedAtMs !== null && this.now() - this.droppedAtMs > this.graceMs) {
      // Past the window the old consent is worth nothing, also for later requests.
      this.revoke();
    }
    return (
      this.current && {
        ...this.current,
        permissions: [...this.current.permissions],
        droppedAtMs: this.droppedAtMs,
      }
    );
  }

  get droppedAt(): number | null {
    return this.droppedAtMs;
  }

  /** The person pressed Allow: remember who (by user id) got what. */
  granted(agentId: string, permissions: readonly RemotePermission[]): void {
    this.current = { agentId, permissions: [...permissions] };
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
   * The consent policy's answer for a new question. Admitting narrows the
   * grant to what was asked this time and closes the window, so the next
   * drop starts a fresh one and never widens anything.
   */
  decide(
    agent: ConsentAgent,
    asked: readonly RemotePermission[],
    offered: readonly RemotePermission[],
    /** A grant the host holds for this agent (managed hosts); none for a session a person joined. */
    grant: ConsentGrant | null = null,
  ): ConsentDecision {
    const decision = decideConsent({
      agent,
      asked,
      offered,
      held: this.held,
      nowMs: this.now(),
      graceMs: this.graceMs,
      // A session the person joined holds no grant; a managed host passes the one it
      // holds, a temporary host holds its ad-hoc session's.
      grant: grant ?? this.grant(),
    });
    if (decision.kind === 'admit') this.granted(agent.userId, decision.permissions);
    return decision;
  }
}
