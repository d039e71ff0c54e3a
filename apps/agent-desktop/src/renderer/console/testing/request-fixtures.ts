import type { SessionRequestSummary } from '@beckon/protocol';

/** A valid request summary for unit tests; override what a test is about. */
export function summary(over: Partial<SessionRequestSummary> & { n?: number } = {}): SessionRequestSummary {
  const { n = 1, ...rest } = over;
  const hex = n.toString(16).padStart(12, '0');
  const id = `00000000-0000-4000-8000-${hex}`;
  const created = new Date(Date.UTC(2030, 0, 1) + n * 60_000).toISOString();
  return {
    id,
    code: `s${String(10_000_000 + n).slice(-8)}`,
    displayCode: 's10-000-001',
    status: 'open',
    recipientName: `Recipient ${n}`,
    recipientEmail: null,
    language: 'en',
    comment: null,
    scheduledAt: null,
    expiresAt: '2030-02-01T00:00:00.000Z',
    timeZone: 'UTC',
    assignee: { type: 'agent', id: ME, name: 'Me' },
    permissions: ['view', 'control'],
    ticket: null,
    createdBy: { type: 'user', id: ME, name: 'Me' },
    customerLink: `https://b.example/j/${hex}`,
    assistLink: `beckon-assist://join/${hex}`,
    supporterLink: `beckon://requests/${id}`,
    consoleLink: `https://b.example/console/#/requests/${id}`,
    createdAt: created,
    updatedAt: created,
    closedAt: null,
    ...rest,
  };
}

export const ME = '11111111-1111-4111-8111-111111111111';
export const MY_DEVICE = '22222222-2222-4222-8222-222222222222';
export const QUEUE = '33333333-3333-4333-8333-333333333333';
export const OTHER = '44444444-4444-4444-8444-444444444444';
