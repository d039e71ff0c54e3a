import { adhocGrantAdmits } from './adhoc-grant.ts';
import type { RemotePermission } from './permissions.ts';
import { GrantKind, type ConsentGrant } from './consent-grant.ts';
import { grantAdmits } from './grants.ts';
import { RECONNECT_GRACE_MS } from './signaling.ts';

/**
 * Beckon's one consent policy: who may see or control a screen, decided the
 * same way by the broker's room and by the host engine. Both call it; the
 * host's answer is final, so a broker that is wrong or compromised can only
 * make the host ask, never make it admit someone the person did not allow.
 *
 * Agents are known by their **user id**. The display name is only shown: two
 * users may share one, and nothing is ever admitted because of it.
 */
export interface ConsentAgent {
  userId: string;
  name: string;
}

/** A consent the person gave, as the deciding side still holds it. */
export interface HeldConsent {
  /** The user id of the agent the person allowed. */
  agentId: string;
  permissions: readonly RemotePermission[];
  /** When that agent's connection dropped; null while it is connected. */
  droppedAtMs: number | null;
}

export interface ConsentFacts {
  agent: ConsentAgent;
  /** What the agent asks for now. */
  asked: readonly RemotePermission[];
  /** What the request told the person could be asked at all. */
  offered: readonly RemotePermission[];
  /** The consent the person gave earlier in this request, if any still holds. */
  held: HeldConsent | null;
  nowMs: number;
  /** How long a dropped agent may come back without a new prompt. */
  graceMs?: number;
  /**
   * A standing permission for this host, if it holds one (managed hosts only;
   * null for every session a person joined). It is one more fact the policy
   * weighs, never a way around it.
   */
  grant: ConsentGrant | null;
}

/** Why the policy refuses without asking the person. */
export const ConsentDenial = {
  /** Permissions beyond what the request offered: the person was never told they could be asked. */
  BEYOND_REQUEST: 'beyond_request',
} as const;
export type ConsentDenial = (typeof ConsentDenial)[keyof typeof ConsentDenial];

export type ConsentDecision =
  | { kind: 'ask' }
  | { kind: 'admit'; permissions: RemotePermission[]; reason: 'grace' | 'grant' }
  | { kind: 'deny'; reason: ConsentDenial };

/**
 * Ask the person, admit without asking, or refuse. Admitting without a
 * prompt needs all of: the same user the person allowed, a drop of that
 * user's connection no longer ago than the grace window, and nothing beyond
 * what was allowed. Everything else is asked (or refused, beyond the request).
 */
export function decideConsent(facts: ConsentFacts): ConsentDecision {
  const { agent, asked, offered, held, nowMs } = facts;
  if (!asked.every((p) => offered.includes(p))) return { kind: 'deny', reason: ConsentDenial.BEYOND_REQUEST };
  const graceMs = facts.graceMs ?? RECONNECT_GRACE_MS;
  if (
    held &&
    held.agentId === agent.userId &&
    held.droppedAtMs !== null &&
    nowMs - held.droppedAtMs <= graceMs &&
    asked.every((p) => held.permissions.includes(p))
  ) {
    return { kind: 'admit', permissions: [...asked], reason: 'grace' };
  }
  // A grant is weighed after the request's bounds: it never admits beyond what was offered.
  if (facts.grant && grantApplies(facts.grant, agent, asked, nowMs)) {
    return { kind: 'admit', permissions: [...asked], reason: 'grant' };
  }
  return { kind: 'ask' };
}

/**
 * Whether a grant lets this agent in without asking. Unattended access (UA7)
 * does, inside its window; ad-hoc support (AH8) does until its session's end
 * (adhoc-grant.ts). Outside every grant a managed host asks the person, and
 * with no answer admits nothing.
 */
export function grantApplies(
  grant: ConsentGrant,
  agent: ConsentAgent,
  asked: readonly RemotePermission[],
  nowMs: number,
): boolean {
  // The conditions every future kind must meet, whatever else it needs.
  const bounded =
    grant.agentId === agent.userId &&
    grantAdmits(grant.window, nowMs) &&
    (grant.notAfterMs === undefined || nowMs <= grant.notAfterMs) &&
    asked.every((p) => grant.permissions.includes(p));
  if (!bounded) return false;
  switch (grant.kind) {
    case GrantKind.UNATTENDED:
      return true;
    case GrantKind.AD_HOC:
      return adhocGrantAdmits(grant);
  }
}

/**
 * What an answer grants: the person may narrow what was asked (view only),
 * never widen it; an answer that leaves nothing is a deny (null).
 */
export function narrowToAsked(
  asked: readonly RemotePermission[],
  answered: readonly RemotePermission[] | undefined,
): RemotePermission[] | null {
  const allowed = (answered ?? asked).filter((p) => asked.includes(p));
  return allowed.length > 0 ? allowed : null;
}
