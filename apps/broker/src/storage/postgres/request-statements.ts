import type { NewEvent, NewMail, RequestRecord } from '../types.ts';
import { MAIL_COLUMNS, mailValues } from './outbox-repo.ts';
import { placeholders, type Statement } from './pool.ts';

/** The session_requests columns a new request fills, in the order of `rowValues`. */
export const COLUMNS = `id, org_id, code, legacy_token_hash, token_salt, status, recipient_name, recipient_email, language,
  comment, scheduled_at, expires_at, time_zone, assignee_type, assignee_id, permissions, ticket, created_by_type,
  created_by_id, created_by_name, created_at, updated_at, closed_at, version`;

export const rowValues = (r: RequestRecord): unknown[] => [
  r.id,
  r.orgId,
  r.code,
  r.legacyTokenHash,
  r.tokenSalt,
  r.status,
  r.recipientName,
  r.recipientEmail,
  r.language,
  r.comment,
  r.scheduledAt,
  r.expiresAt,
  r.timeZone,
  r.assigneeType,
  r.assigneeId,
  JSON.stringify(r.permissions),
  r.ticket === null ? null : JSON.stringify(r.ticket),
  r.createdBy.type,
  r.createdBy.id,
  r.createdBy.name,
  r.createdAt,
  r.updatedAt,
  r.closedAt,
  r.version,
];

export const EVENT_COLUMNS =
  'request_id, at, kind, from_status, to_status, actor_type, actor_id, actor_name, reason';

/** `(…), (…)` for the events, their values pushed onto `values` (rows keep their order, so ids do too). */
export function eventTuples(values: unknown[], requestId: string, events: readonly NewEvent[]): string {
  return events
    .map((e) => {
      const at = values.length;
      values.push(
        requestId,
        e.at,
        e.kind,
        e.fromStatus,
        e.toStatus,
        e.actor.type,
        e.actor.id,
        e.actor.name,
        e.reason,
      );
      return `(${placeholders(9, at + 1)})`;
    })
    .join(', ');
}

/**
 * A new request, its events and its mails as one statement (data-modifying
 * CTEs): one round trip instead of BEGIN, three INSERTs and COMMIT, and one
 * statement is one transaction, so all of it commits or none (the live-code
 * unique index still refuses a taken code, and the foreign keys are checked
 * at the statement's end, when the request row is there). Named by its
 * shape, so each connection parses and plans it once.
 */
export function createStatement(
  record: RequestRecord,
  events: readonly NewEvent[],
  mails: readonly NewMail[],
): { statement: Statement; values: unknown[] } {
  const values = rowValues(record);
  const parts = [`INSERT INTO session_requests (${COLUMNS}) VALUES (${placeholders(values.length)})`];
  if (events.length)
    parts.push(
      `INSERT INTO request_events (${EVENT_COLUMNS}) VALUES ${eventTuples(values, record.id, events)}`,
    );
  if (mails.length) {
    const tuples = mails.map((m) => {
      const at = values.length;
      values.push(...mailValues(m));
      return `(${placeholders(10, at + 1)})`;
    });
    parts.push(`INSERT INTO outbox (${MAIL_COLUMNS}) VALUES ${tuples.join(', ')}`);
  }
  const last = parts.pop()!;
  const text = parts.length ? `WITH ${parts.map((p, i) => `w${i} AS (${p})`).join(', ')} ${last}` : last;
  return { statement: { name: `beckon_create_request_${events.length}_${mails.length}`, text }, values };
}
