import {
  sessionBoundary,
  summarizeSessions,
  transition,
  webhookEventsFor,
  type SessionRecord,
} from '@beckon/protocol';
import { randomUUID } from 'node:crypto';
import type {
  AppliedTransition,
  TransitionContext,
  TransitionEffects,
  TransitionRules,
} from '../storage/helpdesk-types.ts';
import type { NewMail, RequestRecord } from '../storage/types.ts';
import { transitionAudit } from './audit-rules.ts';
import { caseRef, queuedEvent } from './webhook-events.ts';

/**
 * What a status change writes beside itself: the session record it opens or
 * closes, a case's webhooks, its audit entries, and the mails the caller adds.
 * The store reads the context and writes the rows in the change's transaction;
 * the decisions are here (and in the protocol's pure functions).
 */
export function transitionRules(
  mails: (record: RequestRecord, from: RequestRecord['status']) => NewMail[] = () => [],
): TransitionRules {
  return {
    next(from, event) {
      const r = transition(from, event);
      return r.ok ? { status: r.status, changed: r.changed } : null;
    },
    effects(t, ctx) {
      return { ...sessionEffects(t, ctx), mails: mails(t.record, t.from), audit: transitionAudit(t) };
    },
  };
}

function sessionEffects(
  t: AppliedTransition,
  ctx: TransitionContext,
): Pick<TransitionEffects, 'openSession' | 'closeSessions' | 'webhooks'> {
  const to = t.record.status;
  const boundary = sessionBoundary(t.from, to);
  let started: SessionRecord | null = null;
  let ended: SessionRecord | null = null;
  let sessions = ctx.sessions;
  const out: Pick<TransitionEffects, 'openSession' | 'closeSessions' | 'webhooks'> = {
    openSession: null,
    closeSessions: [],
    webhooks: [],
  };
  if (boundary === 'start') {
    const connection = t.reason === 'relayed' || t.reason === 'direct' ? t.reason : null;
    out.openSession = {
      id: randomUUID(),
      orgId: t.record.orgId,
      requestId: t.record.id,
      startedAt: t.at,
      agentId: ctx.lastConnect?.id ?? null,
      agentName: ctx.lastConnect?.name ?? null,
      connection,
    };
    started = {
      id: out.openSession.id,
      requestId: t.record.id,
      startedAt: t.at,
      endedAt: null,
      durationMs: null,
      durationSec: null,
      agent: { id: out.openSession.agentId, name: out.openSession.agentName },
      connection,
      outcome: null,
    };
    sessions = [...sessions, started];
  } else if (boundary === 'end') {
    // A session_ended says why; a close or expiry mid-session is its own reason.
    const outcome = t.event === 'session_ended' ? (t.reason ?? 'ended') : t.event;
    sessions = sessions.map((s) => {
      if (s.endedAt !== null) return s;
      const durationMs = Math.max(0, Date.parse(t.at) - Date.parse(s.startedAt));
      out.closeSessions.push({ id: s.id, endedAt: t.at, outcome, durationMs });
      ended = { ...s, endedAt: t.at, outcome, durationMs, durationSec: Math.round(durationMs / 1000) };
      return ended;
    });
  }

  const types = webhookEventsFor({ event: t.event, from: t.from, to, changed: t.changed });
  // Only service cases talk to helpdesks; a plain request's sessions are recorded, not announced.
  if (types.length === 0 || !ctx.isCase) return out;
  const ref = caseRef(t.record);
  const emit = (e: Parameters<typeof queuedEvent>[2]) =>
    out.webhooks.push(queuedEvent(t.record.orgId, t.record.id, e));
  for (const type of types) {
    switch (type) {
      case 'customer.joined':
        emit({ type, occurredAt: t.at, case: ref, data: { at: t.at } });
        break;
      case 'session.started':
        if (started) emit({ type, occurredAt: t.at, case: ref, data: { session: started } });
        break;
      case 'session.ended':
        if (ended) emit({ type, occurredAt: t.at, case: ref, data: { session: ended } });
        break;
      case 'case.closed':
      case 'case.expired': {
        const data = { at: t.at, summary: summarizeSessions(sessions), sessions };
        emit({ type, occurredAt: t.at, case: ref, data });
        break;
      }
      case 'case.created':
        break;
    }
  }
  return out;
}
