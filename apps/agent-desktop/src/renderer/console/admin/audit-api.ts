import { AuditPageSchema, type AuditAction, type AuditPage } from '@beckon/protocol';
import type { HttpClient } from '../api/http.ts';

/** The filters as the Audit page holds them; empty ones are left out of the URL. */
export interface AuditFilters {
  readonly action?: AuditAction | '';
  readonly actor?: string;
  readonly target?: string;
  /** Instants (ISO), from the page's date inputs in the user's time zone. */
  readonly from?: string;
  readonly to?: string;
}

/** The broker's audit log (admins). Every answer is parsed with the protocol schema. */
export interface AuditApi {
  page(filters: AuditFilters, cursor?: number | null): Promise<AuditPage>;
  csv(filters: AuditFilters): Promise<string>;
}

const query = (f: AuditFilters) => ({
  action: f.action || undefined,
  actor: f.actor?.trim() || undefined,
  target: f.target?.trim() || undefined,
  from: f.from || undefined,
  to: f.to || undefined,
});

export function createAuditApi(http: HttpClient): AuditApi {
  return {
    page: (f, cursor) =>
      http.call('GET', '/api/v1/audit', AuditPageSchema, {
        query: { ...query(f), cursor: cursor ?? undefined, limit: 100 },
      }),
    csv: (f) => http.text('GET', '/api/v1/audit', { query: { ...query(f), format: 'csv' } }),
  };
}
