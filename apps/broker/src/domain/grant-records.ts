import { AuditAction } from '@beckon/protocol';
import type { AuditDraft } from '../storage/audit-types.ts';
import type { GrantEventRecord, RecordedGrantEvent } from '../storage/grant-types.ts';

const GRANT_AUDIT_ACTION: Record<GrantEventRecord['kind'], AuditAction> = {
  asked: AuditAction.UNATTENDED_ASKED,
  granted: AuditAction.UNATTENDED_GRANTED,
  denied: AuditAction.UNATTENDED_DENIED,
  used: AuditAction.UNATTENDED_USED,
  refused: AuditAction.UNATTENDED_REFUSED,
  revoked: AuditAction.UNATTENDED_REVOKED,
  session_started: AuditAction.UNATTENDED_SESSION_STARTED,
  session_ended: AuditAction.UNATTENDED_SESSION_ENDED,
};

/** The grant event as the audit log names it: the host is the `client` of the log's actors. */
export function grantAuditDraft(e: GrantEventRecord): AuditDraft {
  return {
    orgId: e.orgId,
    actor: { type: e.actor.type === 'host' ? 'client' : e.actor.type, id: e.actor.id, name: e.actor.name },
    action: GRANT_AUDIT_ACTION[e.kind],
    target: { type: 'managed_host', id: e.hostId },
    details: {
      ...(e.grantId ? { grantId: e.grantId } : {}),
      ...(e.requestId ? { requestId: e.requestId } : {}),
      ...(e.detail ? { detail: e.detail } : {}),
    },
    ip: e.address,
    at: e.at,
  };
}

/** Every grant event is also one entry of the tamper-evident audit log, written in the same transaction. */
export const recorded = (event: GrantEventRecord): RecordedGrantEvent => ({
  event,
  audit: grantAuditDraft(event),
});
