import type { RemotePermission } from '@beckon/protocol';

/** What the person is asked: who, from where, why, for what. */
export interface ConsentQuestion {
  agentName: string;
  orgName: string;
  comment: string | null;
  permissions: RemotePermission[];
  timeoutSec: number;
}

/** The person's answer; Allow may narrow the permissions (e.g. view only), never widen them. */
export type ConsentAnswer = { allow: true; permissions?: RemotePermission[] } | { allow: false };

export interface ConsentOutcome {
  granted: boolean;
  permissions: RemotePermission[];
  reason: 'user' | 'timeout';
}

/**
 * Deny by default: the question is withdrawn after `timeoutMs` and counts as
 * a deny; a prompt that fails counts as a deny too.
 */
export async function askConsent(
  ask: (question: ConsentQuestion, signal: AbortSignal) => Promise<ConsentAnswer>,
  question: ConsentQuestion,
  timeoutMs: number,
): Promise<ConsentOutcome> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([
      ask(question, controller.signal).catch(() => ({ allow: false }) as const),
      timeout,
    ]);
    if (answer === 'timeout') return { granted: false, permissions: [], reason: 'timeout' };
    if (!answer.allow) return { granted: false, permissions: [], reason: 'user' };
    const permissions = (answer.permissions ?? question.permissions).filter((p) =>
      question.permissions.includes(p),
    );
    return permissions.length > 0
      ? { granted: true, permissions, reason: 'user' }
      : { granted: false, permissions: [], reason: 'user' };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
