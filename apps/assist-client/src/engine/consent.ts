import { narrowToAsked, type RemotePermission } from '@beckon/protocol';

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
  /** `withdrawn`: the question became void before an answer (its agent left); nothing is answered. */
  reason: 'user' | 'timeout' | 'withdrawn';
}

/**
 * Deny by default: the question is withdrawn after `timeoutMs` and counts as
 * a deny; a prompt that fails counts as a deny too. `withdraw` takes the
 * question off the screen at once, and its outcome is answered to nobody.
 */
export async function askConsent(
  ask: (question: ConsentQuestion, signal: AbortSignal) => Promise<ConsentAnswer>,
  question: ConsentQuestion,
  timeoutMs: number,
  withdraw?: AbortSignal,
): Promise<ConsentOutcome> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const withdrawn = new Promise<'withdrawn'>((resolve) => {
    if (withdraw?.aborted) resolve('withdrawn');
    withdraw?.addEventListener('abort', () => resolve('withdrawn'), { once: true });
  });
  try {
    const answer = await Promise.race([
      ask(question, controller.signal).catch(() => ({ allow: false }) as const),
      timeout,
      withdrawn,
    ]);
    if (answer === 'timeout' || answer === 'withdrawn')
      return { granted: false, permissions: [], reason: answer };
    if (!answer.allow) return { granted: false, permissions: [], reason: 'user' };
    const permissions = narrowToAsked(question.permissions, answer.permissions);
    return permissions
      ? { granted: true, permissions, reason: 'user' }
      : { granted: false, permissions: [], reason: 'user' };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
