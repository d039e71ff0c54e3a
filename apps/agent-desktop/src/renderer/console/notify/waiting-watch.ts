import type { LiveServerMessage, Queue, SessionRequestSummary, SessionStatus } from '@beckon/protocol';

/**
 * SC5: tell the agent when the user of one of their requests starts the assist
 * client (the request turns `waiting`). Pure: it decides, the Notifier shows.
 */
export interface WatchSettings {
  readonly enabled: boolean;
  /** SC11: also requests assigned to a queue the agent is a member of. */
  readonly includeQueues: boolean;
}

export interface Me {
  readonly userId: string;
  readonly deviceIds: ReadonlySet<string>;
  readonly queues: readonly Queue[];
}

export function isMine(r: SessionRequestSummary, me: Me, includeQueues: boolean): boolean {
  const a = r.assignee;
  if (a.type === 'agent' && a.id === me.userId) return true;
  if (a.type === 'device' && a.id !== null && me.deviceIds.has(a.id)) return true;
  if (a.type === 'unassigned' && r.createdBy.type === 'user' && r.createdBy.id === me.userId) return true;
  if (includeQueues && a.type === 'queue')
    return me.queues.some((q) => q.id === a.id && q.memberIds.includes(me.userId));
  return false;
}

/**
 * Decides per live frame. It remembers the last status it saw per request, so
 * a session that ends (in_session → waiting) does not ring again: only a user
 * newly arriving does.
 */
export function createWaitingWatch(limit = 5000) {
  const lastStatus = new Map<string, SessionStatus>();
  return {
    /** The request to announce, or null. */
    decide(message: LiveServerMessage, me: Me | null, settings: WatchSettings): SessionRequestSummary | null {
      if (message.type !== 'request_changed') return null;
      const r = message.request;
      const before = lastStatus.get(r.id);
      lastStatus.delete(r.id);
      lastStatus.set(r.id, r.status);
      if (lastStatus.size > limit) lastStatus.delete(lastStatus.keys().next().value ?? '');
      if (!settings.enabled || !me || r.status !== 'waiting') return null;
      if (before === 'waiting' || before === 'ready' || before === 'in_session') return null;
      return isMine(r, me, settings.includeQueues) ? r : null;
    },
  };
}
