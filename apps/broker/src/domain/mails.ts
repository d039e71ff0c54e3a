import { customerLink, formatSessionCode } from '@beckon/protocol';
import { renderInvite, renderStatusUpdate } from '../mail/templates.ts';
import type { NewMail, RequestRecord } from '../storage/types.ts';
import { linkTokenOf, type ReadModelContext } from './read-model.ts';

/**
 * Mails are rendered when they are queued, so the outbox row holds exactly
 * what will be sent, whatever changes later (and a restart needs no context).
 */
export function inviteMail(
  rm: ReadModelContext,
  r: RequestRecord,
  p: { agentName: string; companyName: string; at: Date },
): NewMail {
  const rendered = renderInvite({
    language: r.language,
    customerName: r.recipientName,
    agentName: p.agentName,
    companyName: p.companyName,
    displayCode: formatSessionCode(r.code),
    link: customerLink(rm.publicUrl, linkTokenOf(rm, r)),
    expiresAt: r.expiresAt,
    timeZone: r.timeZone,
    comment: r.comment,
  });
  return inviteToRecipient(r, p.at, rendered);
}

/** An invite to the request's recipient, whichever template rendered it (built-in or the organisation's). */
export function inviteToRecipient(
  r: RequestRecord,
  at: Date,
  rendered: Pick<NewMail, 'subject' | 'html' | 'text'>,
): NewMail {
  return {
    orgId: r.orgId,
    requestId: r.id,
    kind: 'invite',
    to: r.recipientEmail ?? '',
    language: r.language,
    createdAt: at.toISOString(),
    ...rendered,
  };
}

export function statusMail(
  r: RequestRecord,
  p: { agentName: string; companyName: string; at: Date },
): NewMail {
  const rendered = renderStatusUpdate({
    language: r.language,
    customerName: r.recipientName,
    agentName: p.agentName,
    companyName: p.companyName,
    displayCode: formatSessionCode(r.code),
    status: r.status === 'expired' ? 'expired' : 'closed',
    at: p.at.toISOString(),
    timeZone: r.timeZone,
  });
  return {
    orgId: r.orgId,
    requestId: r.id,
    kind: `status_${r.status}`,
    to: r.recipientEmail ?? '',
    language: r.language,
    createdAt: p.at.toISOString(),
    ...rendered,
  };
}
