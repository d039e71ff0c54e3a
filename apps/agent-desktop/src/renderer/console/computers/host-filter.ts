import type { HostSummary } from '@beckon/protocol';

export interface HostFilter {
  /** Matched against the name and the host name, case-insensitively. */
  q: string;
  /** A group id, 'none' for hosts in no group, '' for all. */
  group: string;
  /** One tag, '' for all. */
  tag: string;
}

export const NO_FILTER: HostFilter = { q: '', group: '', tag: '' };

/** Name, then id: the broker's own order, compared as plain strings (fast for 20,000 rows). */
export function byName(a: HostSummary, b: HostSummary): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function filterHosts(hosts: Iterable<HostSummary>, f: HostFilter): HostSummary[] {
  const q = f.q.trim().toLowerCase();
  const out: HostSummary[] = [];
  for (const h of hosts) {
    if (f.group === 'none' ? h.groupId !== null : f.group && h.groupId !== f.group) continue;
    if (f.tag && !h.tags.includes(f.tag)) continue;
    if (q && !h.name.toLowerCase().includes(q) && !(h.presence?.hostname.toLowerCase().includes(q) ?? false))
      continue;
    out.push(h);
  }
  return out.sort(byName);
}

/** Every tag in use, sorted: the tag filter's choices. */
export function tagsOf(hosts: Iterable<HostSummary>): string[] {
  const tags = new Set<string>();
  for (const h of hosts) for (const t of h.tags) tags.add(t);
  return [...tags].sort();
}

/** The rows of a fixed-row-height list that are in view, with a few more on each side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): { start: number; end: number } {
  const first = Math.floor(scrollTop / rowHeight);
  const shown = Math.ceil(viewportHeight / rowHeight);
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(count, first + shown + overscan),
  };
}
