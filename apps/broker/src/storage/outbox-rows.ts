import type { OutboxMail } from '@beckon/protocol';
import type { OutboxRecord } from './types.ts';

// The outbox row as both backends read it (the same columns) and the record it
// makes: one mapping, no SQL.

export interface OutboxRow {
  id: number;
  org_id: string;
  request_id: string | null;
  kind: string;
  to_addr: string;
  subject: string;
  html: string;
  text: string;
  language: string;
  status: OutboxRecord['status'];
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  sent_at: string | null;
}

export const toOutboxRecord = (r: OutboxRow): OutboxRecord => ({
  id: r.id,
  orgId: r.org_id,
  requestId: r.request_id,
  kind: r.kind,
  to: r.to_addr,
  subject: r.subject,
  html: r.html,
  text: r.text,
  language: r.language,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

/** A mail as an organisation's list shows it: no organisation, no bodies. */
export const toListedMail = (r: OutboxRow): OutboxMail => {
  const { orgId: _o, html: _h, text: _t, ...mail } = toOutboxRecord(r);
  return mail;
};
