import type { NewEvent, NewMail, RequestRecord } from '../types.ts';
import { EVENT_COLUMNS, eventRowValues } from '../request-rows.ts';
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

/** `(…), (…)` for the events, their values pushed onto `values` (rows keep their order, so ids do too). */
export function eventTuples(values: unknown[], requestId: string, events: readonly NewEvent[]): string {
  return events
    .map((e) => {
      const at = values.length;
      values.push(...eventRowValues(requestId, e));
      return `(${placeholders(9, at + 1)})`;
    })
    .join(', ');
}

/** A new request with what commits with it: the rows one create writes. */
export interface NewRequestRows {
  record: RequestRecord;
  events: readonly NewEvent[];
  mails: readonly NewMail[];
}

const names = (columns: string) => columns.split(',').map((c) => c.trim());
const REQUEST_NAMES = names(COLUMNS);
const EVENT_NAMES = names(EVENT_COLUMNS);
const MAIL_NAMES = names(MAIL_COLUMNS);
const objectOf = (keys: readonly string[], values: readonly unknown[]) =>
  Object.fromEntries(keys.map((k, i) => [k, values[i] ?? null]));

/**
 * Any number of new requests, their events and their mails in one statement
 * of one fixed shape (so it is prepared once per connection): three JSON
 * arrays read back as rows of the tables themselves (`json_populate_recordset`),
 * data-modifying CTEs, one transaction. A request whose code is taken (the
 * live-code unique index) is skipped with its events and mails, and only the
 * others are written: the ids returned are the requests created. Events and
 * mails keep their order, so their ids do too. Foreign keys are checked at
 * the statement's end, when the request rows are there.
 */
const CREATE_MANY = {
  name: 'beckon_create_requests',
  text: `WITH ins AS (
  INSERT INTO session_requests (${COLUMNS})
  SELECT ${COLUMNS} FROM json_populate_recordset(NULL::session_requests, $1::json)
  ON CONFLICT DO NOTHING RETURNING id
), ev AS (
  INSERT INTO request_events (${EVENT_COLUMNS})
  SELECT ${EVENT_NAMES.map((c) => `e.${c}`).join(', ')}
  FROM json_populate_recordset(NULL::request_events, $2::json) WITH ORDINALITY AS e
  WHERE e.request_id IN (SELECT id FROM ins) ORDER BY e.ordinality
), ml AS (
  INSERT INTO outbox (${MAIL_COLUMNS})
  SELECT ${MAIL_NAMES.map((c) => `m.${c}`).join(', ')}
  FROM json_array_elements($3::json) WITH ORDINALITY AS j(v, n),
    LATERAL json_populate_record(NULL::outbox, j.v) AS m
  WHERE j.v->>'owner' IN (SELECT id FROM ins) ORDER BY j.n
)
SELECT id FROM ins`,
} as const;

export function createManyStatement(creates: readonly NewRequestRows[]): {
  statement: Statement;
  values: unknown[];
} {
  const requests = creates.map((c) => objectOf(REQUEST_NAMES, rowValues(c.record)));
  const events = creates.flatMap((c) =>
    c.events.map((e) => objectOf(EVENT_NAMES, eventRowValues(c.record.id, e))),
  );
  const mails = creates.flatMap((c) =>
    // Each mail names the create it belongs to, so a skipped request takes its mails along.
    c.mails.map((m) => ({ ...objectOf(MAIL_NAMES, mailValues(m)), owner: c.record.id })),
  );
  return {
    statement: CREATE_MANY,
    values: [JSON.stringify(requests), JSON.stringify(events), JSON.stringify(mails)],
  };
}
