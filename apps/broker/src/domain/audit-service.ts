import { ApiScope, AuditListQuerySchema, type AuditEntry, type AuditPage } from '@beckon/protocol';
import type { AuditFilter } from '../storage/audit-types.ts';
import type { Storage } from '../storage/types.ts';
import { parseOrThrow } from './api-error.ts';
import { authorize, type ApiTokenContext } from './api-tokens.ts';
import type { AuthContext } from './auth.ts';
import { csvCell } from './report-service.ts';

/** Most rows one CSV export holds; a larger log is exported by date range. */
export const AUDIT_CSV_MAX_ROWS = 100_000;

/**
 * Reading the audit log: administrators, or an API token with `audit:read`,
 * each seeing their organisation's entries and the broker-wide ones. What
 * is recorded, and when, is in audit-rules.ts; the chain in audit-chain.ts.
 */
export class AuditService {
  private readonly storage: Storage;
  constructor(storage: Storage) {
    this.storage = storage;
  }

  private filter(caller: { auth: AuthContext | null; token: ApiTokenContext | null }, query: unknown) {
    const principal = authorize(caller.auth, caller.token, ApiScope.AUDIT_READ);
    const q = parseOrThrow(AuditListQuerySchema, query ?? {});
    const filter: AuditFilter = {
      orgId: principal.orgId,
      action: q.action,
      actor: q.actor,
      target: q.target,
      from: q.from,
      to: q.to,
      beforeSeq: q.cursor,
      limit: q.limit,
    };
    return { q, filter };
  }

  /** One page, newest first; `nextCursor` fetches the next older page. */
  async list(caller: { auth: AuthContext | null; token: ApiTokenContext | null }, query: unknown) {
    const { q, filter } = this.filter(caller, query);
    if (q.format === 'csv') return { csv: await this.csv(filter) };
    const rows = await this.storage.audit.list({ ...filter, limit: filter.limit + 1 });
    const items = rows.slice(0, filter.limit);
    const page: AuditPage = {
      items,
      nextCursor: rows.length > filter.limit ? (items[items.length - 1]?.seq ?? null) : null,
    };
    return { page };
  }

  /** Every matching entry (up to AUDIT_CSV_MAX_ROWS), newest first, as CSV. */
  private async csv(filter: AuditFilter): Promise<string> {
    const lines = [AUDIT_CSV_HEADER.join(',')];
    let before = filter.beforeSeq;
    for (let n = 0; n < AUDIT_CSV_MAX_ROWS;) {
      const rows = await this.storage.audit.list({ ...filter, beforeSeq: before, limit: 500 });
      for (const e of rows) lines.push(auditCsvRow(e));
      n += rows.length;
      if (rows.length < 500) break;
      before = rows[rows.length - 1]!.seq;
    }
    return lines.join('\r\n') + '\r\n';
  }
}

const AUDIT_CSV_HEADER = [
  'seq',
  'at',
  'action',
  'actor_type',
  'actor_id',
  'actor_name',
  'target_type',
  'target_id',
  'ip',
  'details',
  'prev_hash',
  'hash',
];

/** Names and details come from users: every cell goes through the same formula defusing as reports. */
function auditCsvRow(e: AuditEntry): string {
  return [
    e.seq,
    e.at,
    e.action,
    e.actor.type,
    e.actor.id,
    e.actor.name,
    e.target?.type ?? null,
    e.target?.id ?? null,
    e.ip,
    JSON.stringify(e.details),
    e.prevHash,
    e.hash,
  ]
    .map(csvCell)
    .join(',');
}
