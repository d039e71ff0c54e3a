import { EVENT_COLUMNS, eventRowValues, toRecord, type RequestRow } from '../request-rows.ts';
import type { RequestEvent } from '@beckon/protocol';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.ts';
import type { WriteBatcher } from './write-batcher.ts';
import type {
  NewEvent,
  NewMail,
  RequestRecord,
  RequestStore,
  RequestVersion,
  TransitionOutcome,
} from '../types.ts';
import { insertMail } from './outbox-repo.ts';
import { transitionWriter } from './sessions-repo.ts';

// The row and its mapping are shared with the other backend (request-rows.ts).
export { toRecord, type RequestRow };

export function toRow(r: RequestRecord): RequestRow {
  return {
    id: r.id,
    org_id: r.orgId,
    code: r.code,
    legacy_token_hash: r.legacyTokenHash,
    token_salt: r.tokenSalt,
    status: r.status,
    recipient_name: r.recipientName,
    recipient_email: r.recipientEmail,
    language: r.language,
    comment: r.comment,
    scheduled_at: r.scheduledAt,
    expires_at: r.expiresAt,
    time_zone: r.timeZone,
    assignee_type: r.assigneeType,
    assignee_id: r.assigneeId,
    permissions: JSON.stringify(r.permissions),
    ticket: r.ticket === null ? null : JSON.stringify(r.ticket),
    created_by_type: r.createdBy.type,
    created_by_id: r.createdBy.id,
    created_by_name: r.createdBy.name,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    closed_at: r.closedAt,
    version: r.version,
  };
}

export const COLUMNS: (keyof RequestRow)[] = [
  'id',
  'org_id',
  'code',
  'legacy_token_hash',
  'token_salt',
  'status',
  'recipient_name',
  'recipient_email',
  'language',
  'comment',
  'scheduled_at',
  'expires_at',
  'time_zone',
  'assignee_type',
  'assignee_id',
  'permissions',
  'ticket',
  'created_by_type',
  'created_by_id',
  'created_by_name',
  'created_at',
  'updated_at',
  'closed_at',
  'version',
];
const LIVE = "status NOT IN ('closed', 'expired')";

/** Inserts a request's row. Parameters by position: binding two dozen by name costs more than the rest. */
export function requestInserter(db: Db): (record: RequestRecord) => void {
  const insert = db.prepare(
    `INSERT INTO session_requests (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
  );
  return (record) => {
    const row = toRow(record);
    insert.run(COLUMNS.map((c) => row[c]));
  };
}

/** LIKE pattern for a substring search, with the wildcards in the needle escaped. */
const likeContains = (needle: string) => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function sqliteRequestStore(db: Db, batcher: WriteBatcher): RequestStore {
  const insert = requestInserter(db);
  const effects = transitionWriter(db);
  const insertEvent = db.prepare(
    `INSERT INTO request_events (${EVENT_COLUMNS})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const getOne = db.prepare('SELECT * FROM session_requests WHERE org_id = ? AND id = ?');
  const byId = db.prepare('SELECT * FROM session_requests WHERE id = ?');
  const byLegacyHash = db.prepare('SELECT * FROM session_requests WHERE legacy_token_hash = ?');
  // `+org_id`: looked up by id; an index on org_id would walk every request of the organisation.
  const getByIds = db.prepare(
    'SELECT * FROM session_requests WHERE +org_id = ? AND id IN (SELECT value FROM json_each(?))',
  );
  const addEvent = (requestId: string, e: NewEvent) => insertEvent.run(...eventRowValues(requestId, e));
  const addMails = (mails: NewMail[]) => mails.forEach((m) => insertMail(db, m));
  // List queries vary only in which filters are present: a few dozen shapes at most.
  const statements = new Map<string, Statement<unknown[]>>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };

  return {
    async create(record, events, mails) {
      try {
        await batcher.run(() => {
          insert(record);
          for (const event of events) addEvent(record.id, event);
          addMails(mails);
        });
        return true;
      } catch (error) {
        // The partial unique index on live codes: the caller draws a new code.
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
        throw error;
      }
    },
    async get(orgId, id) {
      const row = getOne.get(orgId, id) as RequestRow | undefined;
      return row ? toRecord(row) : null;
    },
    async events(requestId) {
      const rows = db
        .prepare('SELECT * FROM request_events WHERE request_id = ? ORDER BY id')
        .all(requestId) as {
        id: number;
        at: string;
        kind: RequestEvent['kind'];
        from_status: RequestEvent['fromStatus'];
        to_status: RequestEvent['toStatus'];
        actor_type: RequestEvent['actor']['type'];
        actor_id: string | null;
        actor_name: string | null;
        reason: string | null;
      }[];
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
      const where = ['org_id = ?'];
      const params: unknown[] = [f.orgId];
      if (f.statuses?.length) {
        where.push(`status IN (${f.statuses.map(() => '?').join(', ')})`);
        params.push(...f.statuses);
      }
      if (f.unassigned) where.push("assignee_type = 'unassigned'");
      if (f.assigneeIds) {
        where.push(`assignee_id IN (${f.assigneeIds.map(() => '?').join(', ') || 'NULL'})`);
        params.push(...f.assigneeIds);
      }
      if (f.queueId) {
        where.push("assignee_type = 'queue' AND assignee_id = ?");
        params.push(f.queueId);
      }
      const upcoming = `(scheduled_at IS NOT NULL AND scheduled_at > ? AND ${LIVE})`;
      if (f.when) {
        where.push(f.when === 'upcoming' ? upcoming : `NOT ${upcoming}`);
        params.push(f.now);
      }
      if (f.q) {
        const like = likeContains(f.q);
        const digits = f.q.replace(/[^0-9]/g, '');
        where.push(
          `(recipient_name LIKE ? ESCAPE '\\' OR recipient_email LIKE ? ESCAPE '\\' OR comment LIKE ? ESCAPE '\\'${digits ? ' OR code LIKE ?' : ''})`,
        );
        params.push(like, like, like);
        if (digits) params.push(`%${digits}%`);
      }
      if (f.cursor) {
        where.push('(created_at < ? OR (created_at = ? AND id < ?))');
        params.push(f.cursor.createdAt, f.cursor.createdAt, f.cursor.id);
      }
      // Only what tells a row's copy current: reading every column of a page costs more than the rest of a list.
      const sql = `SELECT id, version, created_at AS createdAt, assignee_type AS assigneeType, assignee_id AS assigneeId
        FROM session_requests WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`;
      return prepared(sql).all(...params, f.limit) as RequestVersion[];
    },
    async getMany(orgId, ids) {
      if (ids.length === 0) return [];
      return (getByIds.all(orgId, JSON.stringify(ids)) as RequestRow[]).map(toRecord);
    },
    async findLiveByCode(code, now) {
      const row = db
        .prepare(`SELECT * FROM session_requests WHERE code = ? AND ${LIVE} AND expires_at > ?`)
        .get(code, now) as RequestRow | undefined;
      return row ? toRecord(row) : null;
    },
    async findById(id) {
      const row = byId.get(id) as RequestRow | undefined;
      return row ? toRecord(row) : null;
    },
    async findByLegacyTokenHash(tokenHash) {
      const row = byLegacyHash.get(tokenHash) as RequestRow | undefined;
      return row ? toRecord(row) : null;
    },
    async applyEvent(orgId, id, event, meta, rules) {
      return batcher.run((): TransitionOutcome => {
        const row = getOne.get(orgId, id) as (RequestRow & { case_system: string | null }) | undefined;
        if (!row) return { ok: false, reason: 'not_found' } as const;
        const next = rules.next(row.status, event);
        if (!next) return { ok: false, reason: 'illegal', status: row.status } as const;
        const context = effects.context(id, row.case_system !== null);
        const record = toRecord(row);
        if (next.changed) {
          const final = next.status === 'closed' || next.status === 'expired';
          db.prepare(
            'UPDATE session_requests SET status = ?, updated_at = ?, closed_at = ?, version = version + 1 WHERE id = ?',
          ).run(next.status, meta.at, final ? meta.at : null, id);
          record.status = next.status;
          record.updatedAt = meta.at;
          record.version += 1;
          if (final) record.closedAt = meta.at;
        }
        addEvent(id, {
          at: meta.at,
          kind: event,
          fromStatus: row.status,
          toStatus: next.status,
          actor: meta.actor,
          reason: meta.reason,
        });
        // Everything the change writes beside itself, decided by the rules, commits with it or not at all.
        const decided = rules.effects(
          { record, event, from: row.status, changed: next.changed, ...meta },
          context,
        );
        addMails(decided.mails);
        effects.write(decided);
        return { ok: true, record, changed: next.changed } as const;
      });
    },
    async update(orgId, id, patch, event) {
      return batcher.run(() => {
        const row = getOne.get(orgId, id) as RequestRow | undefined;
        if (!row) return null;
        const record = { ...toRecord(row), ...patch, updatedAt: event.at, version: row.version + 1 };
        const next = toRow(record);
        db.prepare(
          `UPDATE session_requests SET comment = @comment, assignee_type = @assignee_type, assignee_id = @assignee_id,
             scheduled_at = @scheduled_at, expires_at = @expires_at, updated_at = @updated_at,
             version = version + 1 WHERE id = @id`,
        ).run({
          comment: next.comment,
          assignee_type: next.assignee_type,
          assignee_id: next.assignee_id,
          scheduled_at: next.scheduled_at,
          expires_at: next.expires_at,
          updated_at: next.updated_at,
          id,
        });
        addEvent(id, event);
        return record;
      });
    },
    async dueForExpiry(now, limit) {
      return (
        db
          .prepare(
            `SELECT org_id, id FROM session_requests WHERE ${LIVE} AND expires_at <= ? ORDER BY expires_at LIMIT ?`,
          )
          .all(now, limit) as { org_id: string; id: string }[]
      ).map((r) => ({ orgId: r.org_id, id: r.id }));
    },
    async withClient() {
      return (
        db
          .prepare(
            `SELECT org_id, id, status FROM session_requests WHERE status IN ('waiting', 'ready', 'in_session')`,
          )
          .all() as { org_id: string; id: string; status: RequestRecord['status'] }[]
      ).map((r) => ({ orgId: r.org_id, id: r.id, status: r.status }));
    },
    async addEventAndMails(requestId, event, mails) {
      await batcher.run(() => {
        if (event) addEvent(requestId, event);
        addMails(mails);
      });
    },
  };
}
