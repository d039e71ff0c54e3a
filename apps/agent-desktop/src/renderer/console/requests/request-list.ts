import type { SessionRequestSummary } from '@beckon/protocol';

/**
 * The loaded part of the filtered list, newest first (createdAt, then id,
 * descending: the broker's order and cursor). Immutable: every change returns
 * a new list so React sees it; the arrays stay flat for 10,000+ rows.
 */
export interface RequestList {
  readonly ids: readonly string[];
  readonly byId: ReadonlyMap<string, SessionRequestSummary>;
  /** Null once the last page is loaded. */
  readonly nextCursor: string | null;
  /** Whether any page arrived yet (before that, nextCursor means nothing). */
  readonly loaded: boolean;
}

export const EMPTY_LIST: RequestList = { ids: [], byId: new Map(), nextCursor: null, loaded: false };

/** Negative when `a` comes first in the list. */
export function compareRequests(a: SessionRequestSummary, b: SessionRequestSummary): number {
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id > b.id ? -1 : 1;
}

/** The newer of two versions of one request (updatedAt moves with every change). */
export function newer(a: SessionRequestSummary, b: SessionRequestSummary | undefined): SessionRequestSummary {
  return b && b.updatedAt > a.updatedAt ? b : a;
}

/**
 * Adds a page from the broker. `fresher` holds versions seen on the live channel
 * while the page was on its way, so a slow page cannot undo a live update.
 */
export function appendPage(
  list: RequestList,
  items: readonly SessionRequestSummary[],
  nextCursor: string | null,
  fresher: ReadonlyMap<string, SessionRequestSummary> = new Map(),
): RequestList {
  const byId = new Map(list.byId);
  const ids = [...list.ids];
  for (const item of items) {
    const best = newer(newer(item, fresher.get(item.id)), byId.get(item.id));
    if (!byId.has(item.id)) ids.push(item.id);
    byId.set(item.id, best);
  }
  return { ids, byId, nextCursor, loaded: true };
}

/**
 * Applies one live change. A request that no longer matches the filter leaves;
 * one that newly matches enters at its sorted place, but only within the loaded
 * range: past the last loaded row it will arrive with a later page.
 */
export function applyChange(
  list: RequestList,
  request: SessionRequestSummary,
  matches: boolean,
): RequestList {
  const current = list.byId.get(request.id);
  if (current && current.updatedAt > request.updatedAt) return list;
  if (!matches) {
    if (!current) return list;
    const byId = new Map(list.byId);
    byId.delete(request.id);
    return { ...list, byId, ids: list.ids.filter((id) => id !== request.id) };
  }
  const byId = new Map(list.byId);
  byId.set(request.id, request);
  if (current) return { ...list, byId };
  const position = insertionIndex(list, request);
  const lastId = list.ids[list.ids.length - 1];
  const beyondLoaded = list.nextCursor !== null && position === list.ids.length && lastId !== undefined;
  if (!list.loaded || beyondLoaded) return list;
  const ids = [...list.ids];
  ids.splice(position, 0, request.id);
  return { ...list, byId, ids };
}

/** Binary search over the sorted ids. */
function insertionIndex(list: RequestList, request: SessionRequestSummary): number {
  let lo = 0;
  let hi = list.ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const other = list.byId.get(list.ids[mid] ?? '');
    if (other && compareRequests(other, request) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
