import { EVENT_COLUMNS, toRecord, type RequestRow } from '../request-rows.ts';
import type { RequestEvent } from '@beckon/protocol';
import type {
  NewEvent,
  NewMail,
  RequestRecord,
  RequestStore,
  RequestVersion,
  TransitionOutcome,
} from '../types.ts';
import { insertMail } from './outbox-repo.ts';
import { placeholders, type PgDb, type Sql, type Statement } from './pool.ts';
import { CreateBatcher } from './create-batcher.ts';
import { COLUMNS, eventTuples, rowValues } from './request-statements.ts';
import { transitionContext, writeTransitionEffects } from './sessions-repo.ts';

// The row and its mapping are shared with the other backend (request-rows.ts).
export { toRecord, type RequestRow };

/** Inserts a request's row (a service case sets its case columns in the same statement). */
export async function insertRequest(
  sql: Sql,
  record: RequestRecord,
  kase?: { system: string; ticketId: string; apiTokenId: string | null },
): Promise<void> {
  const values = rowValues(record);
  if (!kase) {
    await sql.run(
      `INSERT INTO session_requests (${COLUMNS}) VALUES (${placeholders(values.length)})`,
      values,
    );
    return;
  }
  values.push(kase.system, kase.ticketId, kase.apiTokenId);
  await sql.run(
    `INSERT INTO session_requests (${COLUMNS}, case_system, case_ticket_id, api_token_id)
     VALUES (${placeholders(values.length)})`,
    values,
  );
}

export async function insertEvents(sql: Sql, requestId: string, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  // One statement for all of them: each round trip inside a transaction holds its locks longer.
  const values: unknown[] = [];
  const tuples = eventTuples(values, requestId, events);
  await sql.run(`INSERT INTO request_events (${EVENT_COLUMNS}) VALUES ${tuples}`, values);
}

export async function insertMails(sql: Sql, mails: readonly NewMail[]): Promise<void> {
  for (const m of mails) await insertMail(sql, m);
}

/** LIKE pattern for a substring search, with the wildcards in the needle escaped. */
const likeContains = (needle: string) => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const LIVE = "status NOT IN ('closed', 'expired')";

// The hot reads of a fixed shape, named: each connection parses and plans them once. The
// change feed of several brokers reads every request another broker changed with GET.
const GET = {
  name: 'beckon_request_get',
  text: 'SELECT * FROM session_requests WHERE org_id = $1 AND id = $2',
};
const GET_MANY = {
  name: 'beckon_request_get_many',
  text: 'SELECT * FROM session_requests WHERE org_id = $1 AND id = ANY($2)',
};
const LIVE_BY_CODE = {
  name: 'beckon_request_live_by_code',
  text: `SELECT * FROM session_requests WHERE code = $1 AND ${LIVE} AND expires_at > $2`,
};
const EVENTS = {
  name: 'beckon_request_events',
  text: 'SELECT * FROM request_events WHERE request_id = $1 ORDER BY id',
};

export function pgRequestStore(db: PgDb): RequestStore {
  // One create statement at a time; creates that arrive meanwhile go together in the next. With
  // 50 clients on two cores (bench/broker-api) one in flight gave 54–86 % of SQLite's creates on
  // one broker and 0.86–1.29× that with two; two in flight 68–96 % and 0.65–0.85×; five 57–71 %
  // and 0.57–0.72× (smaller batches, more commits).
  const creates = new CreateBatcher(db, 1);
  const one = async (sql: Sql, statement: Statement, params: unknown[]) => {
    const row = await sql.one<RequestRow>(statement, params);
    return row ? toRecord(row) : null;
  };
  return {
    // A taken live code comes back as false: the caller draws a new one.
    create: (record, events, mails) => creates.create({ record, events, mails }),
    async get(orgId, id) {
      return one(db, GET, [orgId, id]);
    },
    async events(requestId) {
      const rows = await db.rows<{
        id: number;
        at: string;
        kind: RequestEvent['kind'];
        from_status: RequestEvent['fromStatus'];
        to_status: RequestEvent['toStatus'];
        actor_type: RequestEvent['actor']['type'];
        actor_id: string | null;
        actor_name: string | null;
        reason: string | null;
      }>(EVENTS, [requestId]);
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        kind: r.kind,
        fromStatus: r.from_status,
        toStatus: r.to_status,
        actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
        reason: r.reason,
      }));
    },
    async listVersions(f) {
      const params: unknown[] = [f.orgId];
      const p = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      const where = ['org_id = $1'];
      if (f.statuses?.length) where.push(`status = ANY(${p(f.statuses)})`);
      if (f.unassigned) where.push("assignee_type = 'unassigned'");
      if (f.assigneeIds) where.push(`assignee_id = ANY(${p(f.assigneeIds)})`);
      if (f.queueId) where.push(`assignee_type = 'queue' AND assignee_id = ${p(f.queueId)}`);
      if (f.when) {
        const upcoming = `(scheduled_at IS NOT NULL AND scheduled_at > ${p(f.now)} AND ${LIVE})`;
        where.push(f.when === 'upcoming' ? upcoming : `NOT ${upcoming}`);
      }
      if (f.q) {
        // ILIKE: SQLite's LIKE ignores ASCII case.
        const like = p(likeContains(f.q));
        const digits = f.q.replace(/[^0-9]/g, '');
        where.push(
          `(recipient_name ILIKE ${like} ESCAPE '\\' OR recipient_email ILIKE ${like} ESCAPE '\\'
            OR comment ILIKE ${like} ESCAPE '\\'${digits ? ` OR code LIKE ${p(`%${digits}%`)}` : ''})`,
        );
      }
      if (f.cursor) {
        const at = p(f.cursor.createdAt);
        where.push(`(created_at < ${at} OR (created_at = ${at} AND id < ${p(f.cursor.id)}))`);
      }
      return db.rows<RequestVersion>(
        `SELECT id, version, created_at AS "createdAt", assignee_type AS "assigneeType", assignee_id AS "assigneeId"
         FROM session_requests WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${p(f.limit)}`,
        params,
      );
    },
    async getMany(orgId, ids) {
      if (ids.length === 0) return [];
      const rows = await db.rows<RequestRow>(GET_MANY, [orgId, ids]);
      return rows.map(toRecord);
    },
    async findLiveByCode(code, now) {
      return one(db, LIVE_BY_CODE, [code, now]);
    },
    async findById(id) {
      return one(db, 'SELECT * FROM session_requests WHERE id = $1', [id]);
    },
    async findByLegacyTokenHash(tokenHash) {
      return one(db, 'SELECT * FROM session_requests WHERE legacy_token_hash = $1', [tokenHash]);
    },
    async applyEvent(orgId, id, event, meta, rules) {
      return db.tx(async (tx): Promise<TransitionOutcome> => {
        // FOR UPDATE: a second event on this request waits here and then sees the first's status.
        const row = await tx.one<RequestRow & { case_system: string | null }>(
          'SELECT * FROM session_requests WHERE org_id = $1 AND id = $2 FOR UPDATE',
          [orgId, id],
        );
        if (!row) return { ok: false, reason: 'not_found' };
        const next = rules.next(row.status, event);
        if (!next) return { ok: false, reason: 'illegal', status: row.status };
        const context = await transitionContext(tx, id, row.case_system !== null);
        const record = toRecord(row);
        if (next.changed) {
          const final = next.status === 'closed' || next.status === 'expired';
          await tx.run(
            'UPDATE session_requests SET status = $1, updated_at = $2, closed_at = $3, version = version + 1 WHERE id = $4',
            [next.status, meta.at, final ? meta.at : null, id],
          );
          record.status = next.status;
          record.updatedAt = meta.at;
          record.version += 1;
          if (final) record.closedAt = meta.at;
        }
        await insertEvents(tx, id, [
          {
            at: meta.at,
            kind: event,
            fromStatus: row.status,
            toStatus: next.status,
            actor: meta.actor,
            reason: meta.reason,
          },
        ]);
        // Everything the change writes beside itself, decided by the rules, commits with it or not at all.
        const decided = rules.effects(
          { record, event, from: row.status, changed: next.changed, ...meta },
          context,
        );
        await insertMails(tx, decided.mails);
        await writeTransitionEffects(tx, decided);
        return { ok: true, record, changed: next.changed };
      });
    },
    async update(orgId, id, patch, event) {
      return db.tx(async (tx) => {
        const row = await tx.one<RequestRow>(
          'SELECT * FROM session_requests WHERE org_id = $1 AND id = $2 FOR UPDATE',
          [orgId, id],
        );
        if (!row) return null;
        const record = { ...toRecord(row), ...patch, updatedAt: event.at, version: row.version + 1 };
        await tx.run(
          `UPDATE session_requests SET comment = $1, assignee_type = $2, assignee_id = $3, scheduled_at = $4,
             expires_at = $5, updated_at = $6, version = version + 1 WHERE id = $7`,
          [
            record.comment,
            record.assigneeType,
            record.assigneeId,
            record.scheduledAt,
            record.expiresAt,
            record.updatedAt,
            id,
          ],
        );
        await insertEvents(tx, id, [event]);
        return record;
      });
    },
    async dueForExpiry(now, limit) {
      const rows = await db.rows<{ org_id: string; id: string }>(
        `SELECT org_id, id FROM session_requests WHERE ${LIVE} AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
        [now, limit],
      );
      return rows.map((r) => ({ orgId: r.org_id, id: r.id }));
    },
    async withClient() {
      const rows = await db.rows<{ org_id: string; id: string; status: RequestRecord['status'] }>(
        `SELECT org_id, id, status FROM session_requests WHERE status IN ('waiting', 'ready', 'in_session')`,
      );
      return rows.map((r) => ({ orgId: r.org_id, id: r.id, status: r.status }));
    },
    async addEventAndMails(requestId, event, mails) {
      await db.tx(async (tx) => {
        if (event) await insertEvents(tx, requestId, [event]);
        await insertMails(tx, mails);
      });
    },
  };
}
