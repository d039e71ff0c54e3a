import { SessionRequestListQuerySchema } from '@beckon/protocol';
import type { RequestVersion } from '../storage/types.ts';
import { fieldError, parseOrThrow } from './api-error.ts';
import type { AuthContext } from './auth.ts';
import { NameCache, toSummary, type ReadModelContext } from './read-model.ts';

/** Rows whose JSON is kept for lists (a few MiB at most). */
const KEPT_ROWS = 20_000;

interface KeptRow {
  version: number;
  /** The assignee's name when the JSON was made: a renamed queue, device or agent makes it stale. */
  assigneeName: string | null;
  json: string;
}

/**
 * Pages of session requests as JSON text: the console's hot path. A page is
 * first read as versions only; each row's JSON is kept while its version
 * (raised by every change) and its assignee's name stand, so a page is mostly
 * joined strings, and only new or changed rows are read whole and serialized.
 */
export class RequestList {
  private readonly rm: ReadModelContext;
  private readonly now: () => Date;
  private readonly kept = new Map<string, KeptRow>();
  constructor(rm: ReadModelContext, now: () => Date) {
    this.rm = rm;
    this.now = now;
  }

  async page(auth: AuthContext, query: unknown): Promise<string> {
    const q = parseOrThrow(SessionRequestListQuerySchema, query);
    const storage = this.rm.storage;
    const orgId = auth.user.orgId;
    let assigneeIds: string[] | undefined;
    if (q.assignee === 'me') assigneeIds = [auth.user.id, ...(await storage.devices.ofUser(auth.user.id))];
    else if (q.assignee && q.assignee !== 'unassigned') assigneeIds = [q.assignee];
    const versions = await storage.requests.listVersions({
      orgId,
      statuses: q.status,
      assigneeIds,
      unassigned: q.assignee === 'unassigned',
      queueId: q.queue,
      when: q.when,
      q: q.q?.trim() || undefined,
      now: this.now().toISOString(),
      cursor: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit + 1,
    });
    const page = versions.slice(0, q.limit);
    // Most rows are the caller's own, whose name is at hand.
    const names = new NameCache(this.rm).know('agent', auth.user.id, auth.user.name);
    const items: (string | undefined)[] = [];
    const stale: string[] = [];
    for (const v of page) {
      const assignee = names.known(v) ?? (await names.assignee({ orgId, ...v }));
      const kept = this.kept.get(v.id);
      const current = kept && kept.version === v.version && kept.assigneeName === assignee.name;
      items.push(current ? kept.json : undefined);
      if (!current) stale.push(v.id);
    }
    if (stale.length > 0) {
      const records = new Map((await storage.requests.getMany(orgId, stale)).map((r) => [r.id, r]));
      for (const [i, v] of page.entries()) {
        const record = items[i] === undefined ? records.get(v.id) : undefined;
        if (!record) continue;
        const summary = await toSummary(this.rm, record, names);
        const json = JSON.stringify(summary);
        if (this.kept.size >= KEPT_ROWS) this.kept.clear();
        // Kept under the version it was made from, which may be newer than the page's.
        this.kept.set(record.id, { version: record.version, assigneeName: summary.assignee.name, json });
        items[i] = json;
      }
    }
    const last = page[page.length - 1];
    const nextCursor = versions.length > q.limit && last ? encodeCursor(last) : null;
    // A row gone between the two reads (none are deleted today) is left out, not shown empty.
    const rows = items.filter((json) => json !== undefined);
    return `{"items":[${rows.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
  }
}

function encodeCursor(r: RequestVersion): string {
  return Buffer.from(`${r.createdAt}|${r.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) throw fieldError('cursor', 'invalid cursor');
  return { createdAt, id };
}
