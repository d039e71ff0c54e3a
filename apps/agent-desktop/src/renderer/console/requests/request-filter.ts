import { isFinal, type SessionRequestSummary, type SessionStatus } from '@beckon/protocol';
import type { RequestListParams } from '../api/broker-api.ts';

/** What the agent chose to see (SR4). Every part maps to a server-side query parameter. */
export interface RequestFilter {
  readonly scope: 'mine' | 'unassigned' | 'queue' | 'all';
  /** The queue of scope `queue`; the broker filters one queue at a time. */
  readonly queueId: string | null;
  readonly when: 'all' | 'past' | 'upcoming';
  readonly statuses: readonly SessionStatus[];
  readonly q: string;
}

export const DEFAULT_FILTER: RequestFilter = {
  scope: 'mine',
  queueId: null,
  when: 'all',
  statuses: [],
  q: '',
};

/** Who is looking: "mine" means assigned to me or to one of my agent devices, as on the broker. */
export interface Viewer {
  readonly userId: string;
  readonly deviceIds: ReadonlySet<string>;
}

export const PAGE_SIZE = 200;

export function toListParams(filter: RequestFilter, cursor: string | null): RequestListParams {
  return {
    statuses: filter.statuses,
    assignee: filter.scope === 'mine' ? 'me' : filter.scope === 'unassigned' ? 'unassigned' : undefined,
    queue: filter.scope === 'queue' && filter.queueId ? filter.queueId : undefined,
    when: filter.when === 'all' ? undefined : filter.when,
    q: filter.q.trim() || undefined,
    cursor,
    limit: PAGE_SIZE,
  };
}

/**
 * Whether a request belongs in the filtered list: the broker's filter, repeated
 * for rows that arrive on the live channel (which does not know the agent's
 * filter). Kept in step with the broker's query in requests-repo.ts.
 */
export function matchesFilter(
  r: SessionRequestSummary,
  f: RequestFilter,
  viewer: Viewer,
  nowIso: string,
): boolean {
  if (f.statuses.length && !f.statuses.includes(r.status)) return false;
  if (
    f.scope === 'mine' &&
    !(r.assignee.id === viewer.userId || (r.assignee.id && viewer.deviceIds.has(r.assignee.id)))
  )
    return false;
  if (f.scope === 'unassigned' && r.assignee.type !== 'unassigned') return false;
  if (f.scope === 'queue' && f.queueId && !(r.assignee.type === 'queue' && r.assignee.id === f.queueId))
    return false;
  if (f.when !== 'all') {
    const upcoming = r.scheduledAt !== null && r.scheduledAt > nowIso && !isFinal(r.status);
    if ((f.when === 'upcoming') !== upcoming) return false;
  }
  const q = f.q.trim();
  if (q) {
    const needle = q.toLowerCase();
    const digits = q.replace(/[^0-9]/g, '');
    const inText = [r.recipientName, r.recipientEmail, r.comment].some((v) =>
      v?.toLowerCase().includes(needle),
    );
    if (!inText && !(digits && r.code.includes(digits))) return false;
  }
  return true;
}

export function filterIsDefault(f: RequestFilter): boolean {
  return f.scope === DEFAULT_FILTER.scope && f.when === 'all' && f.statuses.length === 0 && f.q.trim() === '';
}
