import { AuditAction, sessionBoundary, type Actor, type AuditActor } from '@beckon/protocol';
import type { AuditDraft } from '../storage/audit-types.ts';
import type { AppliedTransition } from '../storage/helpdesk-types.ts';
import type { AuthContext } from './auth-context.ts';

/**
 * What the audit log records, and who it says did it. Each act builds its
 * drafts here and hands them to the store method that performs the act, so
 * they commit in its transaction (see storage/audit-types.ts).
 */

export const auditActorOf = (auth: AuthContext): AuditActor => ({
  type: 'user',
  id: auth.user.id,
  name: auth.user.name,
});

export function userDraft(
  auth: AuthContext,
  action: AuditDraft['action'],
  target: AuditDraft['target'],
  details: Record<string, unknown>,
  at: Date,
): AuditDraft {
  return {
    orgId: auth.user.orgId,
    actor: auditActorOf(auth),
    action,
    target,
    details,
    ip: auth.ip ?? null,
    at: at.toISOString(),
  };
}

const actorOf = (a: Actor): AuditActor => ({ type: a.type, id: a.id, name: a.name });

/**
 * The entries a committed status change of a request writes: a consent
 * question (`connect_requested`), its answer (`consent_granted/denied`, with
 * the answer, permissions and address the room passed in `audit`), and a
 * session's start and end (by the same boundary the session records use).
 */
export function transitionAudit(t: AppliedTransition): AuditDraft[] {
  const out: AuditDraft[] = [];
  const base = {
    orgId: t.record.orgId,
    target: { type: 'session_request', id: t.record.id },
    ip: t.audit?.ip ?? null,
    at: t.at,
  };
  const details = t.audit?.details ?? {};
  if (t.event === 'connect_requested')
    out.push({ ...base, actor: actorOf(t.actor), action: AuditAction.CONSENT_ASKED, details });
  if (t.event === 'consent_granted' || t.event === 'consent_denied') {
    const answer = details.answer ?? (t.event === 'consent_granted' ? 'allow' : 'deny');
    out.push({
      ...base,
      actor: actorOf(t.actor),
      action: AuditAction.CONSENT_ANSWERED,
      details: { ...details, answer, reason: t.reason },
    });
  }
  const boundary = sessionBoundary(t.from, t.record.status);
  if (boundary === 'start')
    out.push({
      ...base,
      actor: actorOf(t.actor),
      action: AuditAction.SESSION_STARTED,
      // The permissions the person allowed (the room passes them); the request's offer if unknown.
      details: { connection: t.reason, permissions: details.permissions ?? t.record.permissions },
    });
  if (boundary === 'end')
    out.push({
      ...base,
      actor: actorOf(t.actor),
      action: AuditAction.SESSION_ENDED,
      details: { reason: t.event === 'session_ended' ? (t.reason ?? 'ended') : t.event },
    });
  return out;
}
